/**
 * FAQ answers and news are written in Markdown by editors and read by everyone: they are turned
 * into HTML here and nowhere else. Raw HTML is escaped (never passed through), links may only
 * lead to web pages (http, https), e-mail addresses or paths of the portal, and images are not
 * loaded from elsewhere: `![texte](adresse)` stays a plain link.
 */
import MarkdownIt, { type RendererRule, type Token } from 'markdown-it';

/** The page's own title is h1 and its sections h2: an editor's headings come below them. */
const HEADING_SHIFT = 2;

const ALLOWED_LINK = /^(https?:\/\/|mailto:)/i;
/** A path of the portal; "//host" and "/\host" would lead elsewhere. */
const PORTAL_PATH = /^\/(?![/\\])/;

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
markdown.disable('image');
markdown.validateLink = (url: string) => {
  const trimmed = url.trim();
  return ALLOWED_LINK.test(trimmed) || PORTAL_PATH.test(trimmed);
};

const renderToken: RendererRule = (tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options);

/** The text a link shows, for the DSFR « … - nouvelle fenêtre » title of external links. */
function linkText(tokens: Token[], open: number): string {
  let text = '';
  for (let i = open + 1; i < tokens.length && tokens[i]?.type !== 'link_close'; i++) text += tokens[i]?.content ?? '';
  return text.trim();
}

markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (!token) return '';
  const href = String(token.attrGet('href') ?? '');
  if (/^https?:\/\//i.test(href)) {
    token.attrSet('target', '_blank');
    token.attrSet('rel', 'noopener noreferrer');
    token.attrSet('title', `${linkText(tokens, idx) || href} - nouvelle fenêtre`);
  } else {
    token.attrSet('rel', 'noopener');
  }
  return renderToken(tokens, idx, options, env, self);
};

const shiftHeading = (token: Token | undefined) => {
  if (!token) return;
  const level = Math.min(6, Number(token.tag.slice(1)) + HEADING_SHIFT);
  token.tag = `h${level}`;
};
markdown.renderer.rules.heading_open = (tokens, idx, options, env, self) => {
  shiftHeading(tokens[idx]);
  return renderToken(tokens, idx, options, env, self);
};
markdown.renderer.rules.heading_close = (tokens, idx, options, env, self) => {
  shiftHeading(tokens[idx]);
  return renderToken(tokens, idx, options, env, self);
};

/** Header cells of an editor's table head its columns (RGAA: tables with th and scope). */
markdown.renderer.rules.th_open = (tokens, idx, options, env, self) => {
  tokens[idx]?.attrSet('scope', 'col');
  return renderToken(tokens, idx, options, env, self);
};

/** Safe HTML of an editor's Markdown text. */
export function renderRichText(source: string): string {
  return markdown.render(source);
}

/** The text alone (no markup), shortened to `max` characters at a word boundary, for lists. */
export function plainExcerpt(source: string, max = 200): string {
  const text = markdown
    .render(source)
    .replace(/<br>|<\/(p|li|h\d|td|th|tr|blockquote|pre)>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()} …`;
}
