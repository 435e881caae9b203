-- The peer of the rankings CLI (issue 16): the same rules as the default policy, in SQL with
-- window functions, run by Debian's sqlite3 on the same files. tests/unit/cli-sqlite-peer.test.ts
-- checks it gives every store the CLI's certified grade and ranks, so the bench compares equals.
-- The rules (src/domain, policy.default.yaml): the most senior reviewer's score counts, capped at
-- 100; level 1-3 self-operated stores are graded; a self-assessment alone counts as pass at
-- most; per province excellent <= floor(5 % of the graded stores) and the group differential
-- (at most floor(nominees / 1.2)); the excellent nominees not certified compete with the good
-- nominees by score for floor(20 %) good places under the province differential; ranks order by
-- certified grade, then score, then code (no deductions or base in a scores file).
-- The file paths, the period and the output are filled in by sqlite-peer.ts.
.bail on
.import --csv @STORES@ stores
.import --csv @SCORES@ scores
CREATE TEMP TABLE counting AS
SELECT code, reviewer, final FROM (
  SELECT code, reviewer, MIN(CAST(ROUND(score * 100) AS INTEGER), 10000) AS final,
    ROW_NUMBER() OVER (PARTITION BY code ORDER BY
      CASE reviewer WHEN 'group' THEN 0 WHEN 'province' THEN 1 WHEN 'city' THEN 2 ELSE 3 END) AS k
  FROM scores WHERE period = '@PERIOD@'
) WHERE k = 1;
CREATE TEMP TABLE eligible AS
SELECT code, province, city FROM stores WHERE level IN ('1', '2', '3') AND type = 'self';
CREATE TEMP TABLE quota AS
SELECT province, COUNT(*) * 5 / 100 AS px, COUNT(*) * 20 / 100 AS pg FROM eligible GROUP BY province;
CREATE TEMP TABLE res AS
SELECT e.code, e.province, e.city, c.final,
  CASE WHEN c.final >= 9500 THEN 3 WHEN c.final >= 9000 THEN 2 WHEN c.final >= 8000 THEN 1 ELSE 0 END AS sg,
  c.reviewer
FROM eligible e JOIN counting c USING (code);
CREATE TEMP TABLE nominee AS
SELECT *, CASE WHEN reviewer = 'self' AND sg > 1 THEN 1 ELSE sg END AS g FROM res;
CREATE TEMP TABLE excellent AS
SELECT n.code FROM (
  SELECT code, province, ROW_NUMBER() OVER w AS i, COUNT(*) OVER (PARTITION BY province) AS nx
  FROM nominee WHERE g = 3 WINDOW w AS (PARTITION BY province ORDER BY final DESC, code)
) n JOIN quota q USING (province) WHERE n.i <= MIN(q.px, n.nx * 10000 / 12000);
CREATE TEMP TABLE good AS
SELECT n.code FROM (
  SELECT code, province, ROW_NUMBER() OVER w AS i, COUNT(*) OVER (PARTITION BY province) AS ng
  FROM nominee WHERE g = 2 OR (g = 3 AND code NOT IN (SELECT code FROM excellent))
  WINDOW w AS (PARTITION BY province ORDER BY final DESC, code)
) n JOIN quota q USING (province) WHERE n.i <= MIN(q.pg, n.ng * 10000 / 12000);
CREATE TEMP TABLE certified AS
SELECT code, province, city, final,
  CASE WHEN code IN (SELECT code FROM excellent) THEN 3 WHEN code IN (SELECT code FROM good) THEN 2
       WHEN g = 0 THEN 0 ELSE 1 END AS cg
FROM nominee;
.headers on
.mode csv
.once @OUT@
SELECT code,
  CASE cg WHEN 3 THEN 'excellent' WHEN 2 THEN 'good' WHEN 1 THEN 'pass' ELSE 'fail' END AS certified_grade,
  ROW_NUMBER() OVER (PARTITION BY province, city ORDER BY cg DESC, final DESC, code) AS rank_city,
  ROW_NUMBER() OVER (PARTITION BY province ORDER BY cg DESC, final DESC, code) AS rank_province,
  ROW_NUMBER() OVER (ORDER BY cg DESC, final DESC, code) AS rank_group
FROM certified ORDER BY code;
