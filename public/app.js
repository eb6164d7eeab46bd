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
