// Article bodies drawn as the help centre draws them (render-help-centre.ts renderBody: headings,
// lists, paragraphs and line breaks), as React elements: text is never parsed as HTML, so an article
// cannot inject markup into the console.
import type { ReactNode } from 'react';
import { blocksOf } from './article-blocks.js';

export function ArticleBody({ body }: { body: string }) {
  return (
    <>
      {blocksOf(body).map((b, i) => {
        if (b.kind === 'heading') {
          const H = `h${b.level}` as const;
          return <H key={i}>{b.text}</H>;
        }
        if (b.kind === 'list')
          return (
            <ul key={i}>
              {b.items.map((x, j) => (
                <li key={j}>{x}</li>
              ))}
            </ul>
          );
        return <p key={i}>{b.lines.flatMap((l, j) => (j ? [<br key={`b${j}`} />, l] : [l]))}</p>;
      })}
    </>
  );
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const decodeEntities = (s: string) => s.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]);

/**
 * A search title or snippet from the API: escaped text with the searched words in <mark>. Only the
 * <mark> tags are honoured; every other character is shown as text.
 */
export function Marked({ html }: { html: string }) {
  const parts: ReactNode[] = [];
  html.split(/(<mark>.*?<\/mark>)/g).forEach((piece, i) => {
    const m = /^<mark>(.*)<\/mark>$/.exec(piece);
    if (m) parts.push(<mark key={i}>{decodeEntities(m[1])}</mark>);
    else if (piece) parts.push(decodeEntities(piece));
  });
  return <>{parts}</>;
}

/** The plain text of a marked snippet, for pasting into a reply. */
export const plainOf = (html: string) => decodeEntities(html.replace(/<\/?mark>/g, ''));
