// Customer 360: one person's profile, identities, value, preferences, consent, merges and timeline,
// a tab each under /customers/<id>.
import { useEffect } from 'react';
import { NavLink, Route, Routes, useParams, useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, ErrorNote, Loading, PageHeader, formatDate } from '../../../shared/ui.js';
import { customerName } from '../../../shared/customer-name.js';
import { getCustomer } from '../../api/customers.js';
import { Consent } from './consent.js';
import { CustomerCases } from './customer-cases.js';
import { CustomerFeedback } from './customer-feedback.js';
import { CustomerLoyalty } from './customer-loyalty.js';
import { CustomerMessages } from './customer-messages.js';
import { Merges } from './merges.js';
import { Overview } from './overview.js';
import { Timeline } from './timeline.js';

export function CustomerPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const customer = useQuery({ queryKey: ['customer', id], queryFn: () => getCustomer(id) });

  // A merged id leads to the survivor: show the survivor's address.
  useEffect(() => {
    if (customer.data && customer.data.id !== id) navigate(`/customers/${customer.data.id}`, { replace: true });
  }, [customer.data, id, navigate]);

  if (customer.isPending) return <Loading />;
  if (customer.error) return <ErrorNote error={customer.error} />;
  const c = customer.data;
  const tabs = [
    ['', 'overview'],
    ['timeline', 'timeline'],
    ['consent', 'consent'],
    ['merges', 'merges'],
    ['loyalty', 'loyalty'],
    ['feedback', 'feedback'],
    ['cases', 'cases'],
    ['messages', 'messages'],
  ] as const;
  return (
    <>
      <PageHeader
        title={customerName(c, i18n.language)}
        subtitle={
          <>
            <span className="mono">{c.id}</span> · {t('customer.since', { date: formatDate(c.created_at, i18n.language) })}
          </>
        }
        actions={
          <>
            {c.value.is_core && <Badge tone="good">{t('customers.core')}</Badge>}
            {c.merged_from && <Badge tone="info">{t('customer.mergedFrom', { id: c.merged_from })}</Badge>}
          </>
        }
      />
      <nav className="subnav" aria-label={t('customer.sections')}>
        {tabs.map(([path, key]) => (
          <NavLink key={key} to={`/customers/${c.id}${path ? `/${path}` : ''}`} end>
            {t(`customer.tab.${key}`)}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={<Overview c={c} />} />
        <Route path="timeline" element={<Timeline customerId={c.id} />} />
        <Route path="consent" element={<Consent c={c} />} />
        <Route path="merges" element={<Merges c={c} />} />
        <Route path="loyalty" element={<CustomerLoyalty customerId={c.id} />} />
        <Route path="feedback" element={<CustomerFeedback customerId={c.id} />} />
        <Route path="cases" element={<CustomerCases customerId={c.id} />} />
        <Route path="messages" element={<CustomerMessages customerId={c.id} />} />
      </Routes>
    </>
  );
}
