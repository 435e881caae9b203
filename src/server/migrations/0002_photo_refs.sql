-- Which records reference which photos, so a photo is served only to users who may see one of
-- those records (GET /api/photos/{sha256}). Kept by writeRecords: every write of an evaluation
-- (its answers' photoIds) or a corrective action (its evidencePhotoIds) replaces that record's
-- rows; a tombstone has none. PostgreSQL 15 SQL only.
CREATE TABLE photo_refs (
  sha256 text NOT NULL,
  kind   text NOT NULL,
  id     text NOT NULL,
  unit   text NOT NULL,
  PRIMARY KEY (sha256, kind, id)
);
CREATE INDEX photo_refs_record ON photo_refs (kind, id);

-- Everyone who sent a photo's complete, verified bytes (the first uploader and anyone after):
-- they may read a photo back while no record references it yet (a resumed upload).
CREATE TABLE photo_uploaders (
  sha256  text NOT NULL,
  user_id bigint NOT NULL,
  PRIMARY KEY (sha256, user_id)
);
INSERT INTO photo_uploaders (sha256, user_id)
  SELECT sha256, uploaded_by FROM photos WHERE uploaded_by IS NOT NULL;

INSERT INTO photo_refs (sha256, kind, id, unit)
  SELECT DISTINCT p.sha, r.kind, r.id, r.unit
    FROM records r
   CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(r.data -> 'answers') = 'object'
                                      THEN r.data -> 'answers' ELSE '{}'::jsonb END) AS a(item, v)
   CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(a.v -> 'photoIds') = 'array'
                                                     THEN a.v -> 'photoIds' ELSE '[]'::jsonb END) AS p(sha)
   WHERE r.kind = 'evaluation' AND NOT r.deleted AND p.sha ~ '^[0-9a-f]{64}$'
  UNION
  SELECT DISTINCT p.sha, r.kind, r.id, r.unit
    FROM records r
   CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(r.data -> 'evidencePhotoIds') = 'array'
                                                     THEN r.data -> 'evidencePhotoIds' ELSE '[]'::jsonb END) AS p(sha)
   WHERE r.kind = 'action' AND NOT r.deleted AND p.sha ~ '^[0-9a-f]{64}$';
