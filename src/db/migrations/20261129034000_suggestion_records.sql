-- Suggestions before filing: a suggestion counts once as shown per form, and a form files once.
create unique index knowledge_suggestions_shown_once on knowledge_suggestions (form_token, item_type, item_id)
  where kind = 'shown';
create unique index knowledge_suggestions_filed_once on knowledge_suggestions (form_token) where kind = 'filed';
