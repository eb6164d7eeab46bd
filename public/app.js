// Progressive enhancement only: every page works without this file.

// New request: keep in the theme list only the chosen application's themes.
const application = document.getElementById('applicationId');
const theme = document.getElementById('themeId');
if (application && theme) {
  const groups = Array.from(theme.querySelectorAll('optgroup'));
  const sync = () => {
    const chosen = application.options[application.selectedIndex]?.text ?? '';
    for (const group of groups) {
      const visible = group.label === chosen;
      group.hidden = !visible;
      group.disabled = !visible;
      if (!visible && group.contains(theme.options[theme.selectedIndex])) theme.value = '';
    }
  };
  application.addEventListener('change', sync);
  sync();
}

// After a refused login, move the focus to its message so it is read first (form summaries have autofocus).
document.getElementById('login-error')?.focus();

// « Réponse type »: « Insérer » puts the chosen text at the cursor of the answer, without reloading
// the page (without a choice, the form goes to the server, which says what to do).
for (const button of document.querySelectorAll('[data-canned-insert]')) {
  button.addEventListener('click', (event) => {
    const select = document.getElementById(button.dataset.cannedInsert);
    const textarea = select && document.getElementById(select.dataset.cannedTarget);
    const option = select?.options[select.selectedIndex];
    if (!textarea || !option?.value) return;
    event.preventDefault();
    const start = textarea.selectionStart ?? textarea.value.length;
    const end = textarea.selectionEnd ?? start;
    textarea.setRangeText(option.dataset.body ?? '', start, end, 'end');
    textarea.focus();
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

// Suggestions before filing: as the subject is typed (and once an application is chosen), the
// server's « Ces réponses peuvent vous aider » goes into a live region beside the form (after it on
// narrow screens), so no field moves; the description and the theme refine them. Seeing them
// counts as the step the form makes without JavaScript.
const suggestionsRegion = document.getElementById('suggestions-region');
const suggestionsForm = suggestionsRegion && document.getElementById(suggestionsRegion.dataset.suggestionsForm ?? '');
if (suggestionsRegion && suggestionsForm && !document.getElementById('suggestions-step')) {
  const field = (name) => suggestionsForm.elements.namedItem(name);
  const subject = field('subject');
  const app = field('applicationId');
  const seen = document.getElementById('suggestions-shown');
  let timer;
  let asked = '';
  const ask = async () => {
    const params = new URLSearchParams({
      objet: subject?.value ?? '',
      application: app?.value ?? '',
      theme: field('themeId')?.value ?? '',
      // The beginning is enough to weigh in, and keeps the address short.
      description: (field('description')?.value ?? '').slice(0, 500),
      jeton: field('token')?.value ?? '',
    });
    const query = params.toString();
    if (query === asked) return;
    asked = query;
    try {
      const response = await fetch(`${suggestionsRegion.dataset.suggestionsUrl}?${query}`, { credentials: 'same-origin' });
      if (!response.ok || query !== asked) return;
      suggestionsRegion.innerHTML = await response.text();
      if (suggestionsRegion.querySelector('[data-suggestions-count]') && seen) seen.value = '1';
    } catch {
      // Without suggestions the form works as before.
    }
  };
  const later = (delay) => () => {
    clearTimeout(timer);
    timer = setTimeout(ask, delay);
  };
  subject?.addEventListener('input', later(300));
  field('description')?.addEventListener('input', later(600));
  app?.addEventListener('change', later(0));
  field('themeId')?.addEventListener('change', later(0));
  if (subject?.value && app?.value) ask();
}
