// The desk's keyboard shortcuts (« Raccourcis clavier », /guichet/raccourcis). Single keys would take
// the keys of a screen reader or of voice control (RGAA 12.11): they stay off until the person turns
// them on, in this browser, and never act while a field has the focus or with a modifier key.
const STORAGE_KEY = 'guichet-raccourcis';
const enabled = () => localStorage.getItem(STORAGE_KEY) === 'oui';

const toggle = document.getElementById('shortcuts-toggle');
const state = document.getElementById('shortcuts-state');
if (toggle && state) {
  const show = () => {
    toggle.textContent = enabled() ? 'Désactiver les raccourcis' : 'Activer les raccourcis';
    toggle.setAttribute('aria-pressed', String(enabled()));
    state.textContent = enabled() ? 'Les raccourcis sont activés dans ce navigateur.' : 'Les raccourcis sont désactivés.';
  };
  toggle.parentElement.hidden = false;
  toggle.addEventListener('click', () => {
    if (enabled()) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, 'oui');
    show();
  });
  show();
}

/** The request links of the queue, one per row (the number's). */
const rowLinks = () =>
  [...document.querySelectorAll('tbody tr')].map((row) => row.querySelector('a[href^="/demandes/"]')).filter(Boolean);

function moveInRows(step) {
  const links = rowLinks();
  if (links.length === 0) return false;
  const current = links.findIndex((link) => link.closest('tr')?.contains(document.activeElement));
  const next = current === -1 ? (step > 0 ? 0 : links.length - 1) : Math.min(Math.max(current + step, 0), links.length - 1);
  links[next].focus();
  return true;
}

function toggleRowSelection() {
  const box = document.activeElement?.closest('tr')?.querySelector('input[type="checkbox"][name="selection"]');
  if (!box) return false;
  box.checked = !box.checked;
  return true;
}

const requestNumber = () => /^\/demandes\/(\d+)$/.exec(location.pathname)?.[1];

const ACTIONS = {
  j: () => moveInRows(1),
  k: () => moveInRows(-1),
  x: toggleRowSelection,
  f: () => {
    const first = document.querySelector('form[aria-label="Filtrer la file"] select');
    first?.focus();
    return Boolean(first);
  },
  s: () => {
    const number = requestNumber();
    if (number) location.assign(`/guichet/suivante?apres=${number}`);
    return Boolean(number);
  },
  g: () => {
    location.assign('/guichet');
    return true;
  },
  '?': () => {
    location.assign('/guichet/raccourcis');
    return true;
  },
};

document.addEventListener('keydown', (event) => {
  if (!enabled() || event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
  if (event.target instanceof Element && event.target.closest('input, textarea, select, [contenteditable], dialog')) return;
  const action = ACTIONS[event.key];
  if (action?.()) event.preventDefault();
});
