// Templates: the list, an editor for the email subject and body and the SMS text in English and
// Chinese (other channels and languages a template holds are kept as saved), and a preview that
// renders the saved template for one customer.

import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Badge, Button, Card, QueryState, Table, formatDateTime } from '../../../shared/ui.js';
import { useTemplates, type Template } from './outreach-data.js';
import { Editor } from './template-editor.js';
import { Preview } from './template-preview.js';

export function TemplatesTab() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const id = params.get('template');
  const templates = useTemplates();
  // The editor is remounted on the saved template's own key after a save, so the notice lives here.
  const [saved, setSaved] = useState(false);
  const open = (v: string | null) => {
    setSaved(false);
    setParams(v ? new URLSearchParams({ template: v }) : new URLSearchParams(), { replace: true });
  };
  const onSaved = (x: Template) => {
    open(x.id);
    setSaved(true);
  };
  const current = templates.data?.data.find((x) => x.id === id);
  return (
    <>
      <Card
        title={t('outreach.templates')}
        actions={
          <Button variant="primary" onClick={() => open('new')}>
            {t('outreach.newTemplate')}
          </Button>
        }
      >
        <QueryState query={templates} isEmpty={(d) => d.data.length === 0} empty={t('outreach.noTemplates')}>
          {(d) => (
            <Table
              head={[
                t('outreach.name'),
                t('outreach.purpose'),
                t('outreach.channels'),
                t('outreach.languages'),
                t('outreach.updated'),
                <span key="actions" className="visually-hidden">
                  {t('common.actions')}
                </span>,
              ]}
            >
              {d.data.map((x) => (
                <tr key={x.id} data-template={x.name}>
                  <td>{x.name}</td>
                  <td>{t(`purpose.${x.purpose}`)}</td>
                  <td>
                    {x.channels.map((c) => (
                      <Badge key={c}>{t(`channel.${c}`, { defaultValue: c })}</Badge>
                    ))}
                  </td>
                  <td>{Object.keys(x.content).join(', ')}</td>
                  <td>{formatDateTime(x.updated_at, i18n.language)}</td>
                  <td>
                    <Button variant="ghost" aria-label={t('outreach.editTemplate', { name: x.name })} onClick={() => open(x.id)}>
                      {t('common.edit')}
                    </Button>
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </QueryState>
      </Card>
      {saved && (
        <p className="notice" role="status">
          {t('outreach.templateSaved')}
        </p>
      )}
      {id === 'new' && <Editor key="new" onSaved={onSaved} />}
      {current && <Editor key={`${current.id}:${current.updated_at}`} template={current} onSaved={onSaved} />}
      {current && <Preview template={current} />}
    </>
  );
}
