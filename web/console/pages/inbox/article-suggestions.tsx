// The articles that may answer the customer's last message, under the composer: the agent opens one
// in the knowledge screen, or puts a link to it (on the help centre) or its text into the reply. An
// internal article is guidance for the agent: it is never offered for pasting to the customer.
import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Badge, Button, ErrorNote } from '../../../shared/ui.js';
import { getArticle, useHelpCentre, type SuggestedArticle } from '../../api/knowledge.js';

export function ArticleSuggestions({ articles, onInsert }: { articles: SuggestedArticle[]; onInsert: (text: string) => void }) {
  const { t } = useTranslation();
  const hc = useHelpCentre();
  const text = useMutation({
    mutationFn: (id: string) => getArticle(id),
    onSuccess: (a) => onInsert(`${a.title}\n\n${a.body}`),
  });
  if (!articles.length) return null;
  // The API gives each public article's help-centre page (url_path); the link handed to a customer is
  // absolute, on the server's public address (the help centre's, which may differ from the console's).
  const linkOf = (a: SuggestedArticle) => (a.url_path && hc.data ? new URL(a.url_path, hc.data.url).href : undefined);
  return (
    <div className="suggestions article-suggestions" role="group" aria-label={t('knowledge.suggested')}>
      <span className="muted">{t('knowledge.suggested')}:</span>
      <ul className="plain">
        {articles.map((a) => {
          const link = linkOf(a);
          return (
            <li key={a.id} data-article={a.id}>
              <Link to={`/knowledge/articles/${a.id}`} target="_blank">
                {a.title}
              </Link>{' '}
              {a.visibility === 'internal' ? (
                <Badge tone="warn">{t('knowledge.internalNoLink')}</Badge>
              ) : (
                <>
                  {link && (
                    <Button variant="ghost" aria-label={t('knowledge.insertLinkTo', { title: a.title })} onClick={() => onInsert(`${a.title}: ${link}`)}>
                      {t('knowledge.insertLink')}
                    </Button>
                  )}
                  <Button
                    variant="ghost"
                    aria-label={t('knowledge.insertTextOf', { title: a.title })}
                    busy={text.isPending && text.variables === a.id}
                    onClick={() => text.mutate(a.id)}
                  >
                    {t('knowledge.insertText')}
                  </Button>
                </>
              )}
            </li>
          );
        })}
      </ul>
      <ErrorNote error={text.error} />
    </div>
  );
}
