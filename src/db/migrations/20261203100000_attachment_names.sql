-- Names of files stored before: without the invisible characters that change how text reads
-- (bidirectional overrides and the like), and ending with an extension of the type found in the
-- content, as new uploads now are (src/domain/attachments/store.ts).
create temporary table file_types (media_type text primary key, extensions text[] not null) on commit drop;
insert into file_types values
  ('image/png', array['png']),
  ('image/jpeg', array['jpg', 'jpeg']),
  ('image/gif', array['gif']),
  ('image/webp', array['webp']),
  ('application/pdf', array['pdf']),
  ('application/vnd.openxmlformats-officedocument.wordprocessingml.document', array['docx']),
  ('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', array['xlsx']),
  ('application/vnd.oasis.opendocument.text', array['odt']),
  ('application/vnd.oasis.opendocument.spreadsheet', array['ods']),
  ('text/plain', array['txt', 'log']),
  ('text/csv', array['csv']);

update attachments set original_name = regexp_replace(original_name, E'[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]', '', 'g')
where original_name ~ E'[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]';
update document_versions set original_name = regexp_replace(original_name, E'[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]', '', 'g')
where original_name ~ E'[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]';

-- « poly.html » holding a PNG becomes « poly.png »; « capture » becomes « capture.png ».
update attachments a
set original_name = (case when a.original_name ~ '^.+\.[^.]*$' then regexp_replace(a.original_name, '\.[^.]*$', '') else a.original_name end)
  || '.' || t.extensions[1]
from file_types t
where t.media_type = a.media_type
  and not (a.original_name ~ '^.+\.[^.]*$' and lower(substring(a.original_name from '\.([^.]*)$')) = any (t.extensions));
update document_versions v
set original_name = (case when v.original_name ~ '^.+\.[^.]*$' then regexp_replace(v.original_name, '\.[^.]*$', '') else v.original_name end)
  || '.' || t.extensions[1]
from file_types t
where t.media_type = v.media_type
  and not (v.original_name ~ '^.+\.[^.]*$' and lower(substring(v.original_name from '\.([^.]*)$')) = any (t.extensions));
