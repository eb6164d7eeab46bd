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

// After a refused form, move the focus to the error summary so it is read first.
document.getElementById('error-summary')?.focus();
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
