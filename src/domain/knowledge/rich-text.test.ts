import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { plainExcerpt, renderRichText } from './rich-text.js';

describe('rich text of FAQ answers and news', () => {
  test('raw HTML is shown as text, never passed through', () => {
    const html = renderRichText(
      'Avant <script>alert(1)</script> <img src=x onerror=alert(2)> <a href="https://x.example">lien</a>',
    );
    assert.doesNotMatch(html, /<script|<img|>lien<\/a>/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /&lt;img src=x onerror=alert\(2\)&gt;/);
  });

  test('links other than http(s), mailto and paths of the portal are not links', () => {
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<b>x</b>',
      'vbscript:x',
      '//evil.example/x',
      'file:///etc/passwd',
    ]) {
      const html = renderRichText(`[cliquez](${href})`);
      assert.doesNotMatch(html, /<a /, href);
    }
    assert.doesNotMatch(renderRichText('<javascript:alert(1)>'), /<a /);
  });

  test('web links open in a new window, marked as the DSFR does; mail and portal links stay', () => {
    const html = renderRichText(
      'Voir [CERES](https://ceres.emploi.gouv.fr), [la FAQ 55](/faq/55) ou [écrire](mailto:assistance@example.fr).',
    );
    assert.match(
      html,
      /<a href="https:\/\/ceres\.emploi\.gouv\.fr" target="_blank" rel="noopener noreferrer" title="CERES - nouvelle fenêtre">CERES<\/a>/,
    );
    assert.match(html, /<a href="\/faq\/55" rel="noopener">la FAQ 55<\/a>/);
    assert.match(html, /<a href="mailto:assistance@example\.fr" rel="noopener">écrire<\/a>/);
  });

  test('bare addresses become links', () => {
    const html = renderRichText('Connectez-vous sur https://ceres.emploi.gouv.fr puis choisissez « Agréments ».');
    assert.match(html, /<a href="https:\/\/ceres\.emploi\.gouv\.fr" target="_blank"[^>]*>https:\/\/ceres\.emploi\.gouv\.fr<\/a>/);
  });

  test('images from elsewhere are not loaded: they are shown as links', () => {
    const html = renderRichText('![capture](https://tracker.example/pixel.png)');
    assert.doesNotMatch(html, /<img/);
    assert.match(html, /<a href="https:\/\/tracker\.example\/pixel\.png"[^>]*>capture<\/a>/);
  });

  test('headings come below the page title and its sections; lists, emphasis and tables are kept', () => {
    const html = renderRichText(
      '# Procédure\n\n## Étapes\n\n1. Ouvrir\n2. **Valider**\n\n- un\n- deux\n\n| Étape | Délai |\n|---|---|\n| Agrément | 2 jours |',
    );
    assert.match(html, /<h3>Procédure<\/h3>/);
    assert.match(html, /<h4>Étapes<\/h4>/);
    assert.doesNotMatch(html, /<h1|<h2/);
    assert.match(html, /<ol>\s*<li>Ouvrir<\/li>\s*<li><strong>Valider<\/strong><\/li>\s*<\/ol>/);
    assert.match(html, /<ul>\s*<li>un<\/li>/);
    assert.match(html, /<table>[\s\S]*<th scope="col">Étape<\/th>[\s\S]*<td>2 jours<\/td>/);
  });

  test('a line break within a paragraph is kept, as editors type signatures', () => {
    assert.match(renderRichText('Cordialement,\nL’assistance'), /Cordialement,<br>\s*L’assistance/);
  });

  test('an excerpt is the plain text, shortened at a word', () => {
    assert.equal(
      plainExcerpt('**Agrément** bloquant : <b>voir</b> la [FAQ](/faq/55).'),
      'Agrément bloquant : <b>voir</b> la FAQ.',
    );
    assert.equal(plainExcerpt('un deux trois quatre cinq six', 15), 'un deux trois …');
  });
});
