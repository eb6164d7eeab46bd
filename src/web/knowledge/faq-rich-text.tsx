/**
 * The one place an editor's text enters a page as HTML: the output of `renderRichText`, which
 * escapes raw HTML and checks every link.
 */
import { renderRichText } from '../../domain/knowledge/rich-text.js';

export function RichText({ source, class: className = 'guichet-text' }: { source: string; class?: string }) {
  return <div class={className} dangerouslySetInnerHTML={{ __html: renderRichText(source) }} />;
}

/** « PDF – 1,2 Mo », as the DSFR shows a file to download. */
export function fileDetail(mediaType: string | null, sizeBytes: number | null): string | null {
  if (!mediaType || sizeBytes === null) return null;
  const kind = mediaType === 'application/pdf' ? 'PDF' : (mediaType.split('/')[1] ?? mediaType).toUpperCase();
  return `${kind} – ${formatSize(Number(sizeBytes))}`;
}

function formatSize(bytes: number): string {
  const number = (n: number) => n.toLocaleString('fr-FR', { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${bytes} octets`;
  if (bytes < 1024 * 1024) return `${number(bytes / 1024)} Ko`;
  return `${number(bytes / (1024 * 1024))} Mo`;
}
