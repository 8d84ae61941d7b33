// The customer's messages tab: their conversations, latest first, each opening in the inbox.
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Card, QueryState, Table, formatDateTime } from '../../../shared/ui.js';
import { listConversations } from '../../api/inbox.js';
import { oneLine } from './one-line.js';

export function CustomerMessages({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const conversations = useQuery({
    queryKey: ['conversations', 'customer', customerId],
    queryFn: () => listConversations({ customer_id: customerId, limit: 100 }),
  });
  const lng = i18n.language;
  return (
    <Card title={t('customer.tab.messages')}>
      <QueryState query={conversations} isEmpty={(d) => d.data.length === 0} empty={t('customer.conversationsNone')}>
        {(d) => (
          <Table head={[t('inbox.conversation'), t('inbox.status'), t('consent.channel'), t('customer.lastMessage'), t('customer.lastActivity')]}>
            {d.data.map((c) => (
              <tr key={c.id} data-id={c.id}>
                <td>
                  {/* status= shows every status in the inbox list, so the conversation is in it whatever its own. */}
                  <Link to={`/inbox?status=&c=${encodeURIComponent(c.id)}`}>{c.subject || t('inbox.noSubject')}</Link>
                </td>
                <td>
                  <Badge>{t(`inbox.st.${c.status}`, { defaultValue: c.status })}</Badge>
                </td>
                <td>{c.last_channel_kind ? t(`channel.${c.last_channel_kind}`, { defaultValue: c.last_channel_kind }) : '—'}</td>
                <td title={c.last_message?.text ?? undefined}>
                  {c.last_message ? `${c.last_message.direction === 'out' ? '↩ ' : ''}${oneLine(c.last_message.text)}` : '—'}
                </td>
                <td>{formatDateTime(c.last_message_at ?? c.updated_at ?? c.created_at, lng)}</td>
              </tr>
            ))}
          </Table>
        )}
      </QueryState>
    </Card>
  );
}
