-- Visit plans (issue 13): which inspector visits which store by when. A plan is a synced record
-- (kind 'visit', unit = the store's city, store_code = the store) so the existing pull carries it
-- to the inspectors' tablets and its tombstone removes it there; this index serves the planning
-- endpoints' look-ups by store (a repeated plan for the same inspector, store and date is the
-- same plan) and by inspector. PostgreSQL 15 SQL only.
CREATE INDEX records_visit_store ON records (store_code, ((data ->> 'inspectorId')))
  WHERE kind = 'visit' AND NOT deleted;
