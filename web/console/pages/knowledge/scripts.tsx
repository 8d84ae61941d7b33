// Guided scripts: for a case type, a tree of steps (questions to ask, actions to take, each may show
// an article) whose answers lead to the next step; a step without answers ends the script. The API
// checks the tree (unique ids, every answer leading to a step, no way back) and names what is wrong.
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Button, Card, Checkbox, Problems, QueryState, SelectField, Table, TextArea, TextField } from '../../../shared/ui.js';
import { ALL_LANGUAGES } from './knowledge-data.js';
import { listArticles, listScripts, saveScript, type Script } from '../../api/knowledge.js';

type Step = Script['nodes'][number];
type Option = Step['options'][number];
type Draft = Omit<Script, 'id' | 'created_at' | 'updated_at'>;

const blank = (): Draft => ({
  case_type: '',
  title: '',
  language: 'zh-CN',
  root_node: 'step_1',
  is_active: true,
  nodes: [{ id: 'step_1', kind: 'question', text: '', options: [] }],
});
/** The first id of the form `<prefix><n>` not yet taken. */
const freeId = (prefix: string, taken: string[]) => {
  let n = taken.length + 1;
  while (taken.includes(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
};

export function ScriptsScreen() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const id = params.get('script');
  const scripts = useQuery({ queryKey: ['knowledge-scripts'], queryFn: () => listScripts() });
  const [saved, setSaved] = useState(false);
  const open = (v: string | null) => {
    setSaved(false);
    setParams(v ? new URLSearchParams({ script: v }) : new URLSearchParams(), { replace: true });
  };
  const current = scripts.data?.data.find((s) => s.id === id);
  return (
    <>
      <Card
        title={t('knowledge.scripts')}
        actions={
          <Button variant="primary" onClick={() => open('new')}>
            {t('knowledge.newScript')}
          </Button>
        }
      >
        <QueryState query={scripts} isEmpty={(d) => d.data.length === 0} empty={t('knowledge.noScripts')}>
          {(d) => (
            <Table
              head={[
                t('knowledge.scriptTitle'),
                t('knowledge.caseType'),
                t('common.language'),
                t('knowledge.steps'),
                t('knowledge.active'),
                <span key="actions" className="visually-hidden">
                  {t('common.actions')}
                </span>,
              ]}
            >
              {d.data.map((s) => (
                <tr key={s.id} data-script={s.title}>
                  <td>{s.title}</td>
                  <td>{s.case_type}</td>
                  <td>{t(`knowledge.language.${s.language}`, { defaultValue: s.language })}</td>
                  <td>{s.nodes.length}</td>
                  <td>{s.is_active ? <Badge tone="good">{t('common.yes')}</Badge> : <Badge>{t('common.no')}</Badge>}</td>
                  <td>
                    <Button variant="ghost" aria-label={t('knowledge.editScript', { title: s.title })} onClick={() => open(s.id)}>
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
          {t('knowledge.scriptSaved')}
        </p>
      )}
      {id === 'new' && (
        <ScriptEditor
          key="new"
          onSaved={(s) => {
            open(s.id);
            setSaved(true);
          }}
        />
      )}
      {current && (
        <ScriptEditor
          key={`${current.id}:${current.updated_at}`}
          script={current}
          onSaved={(s) => {
            open(s.id);
            setSaved(true);
          }}
        />
      )}
    </>
  );
}

function ScriptEditor({ script, onSaved }: { script?: Script; onSaved: (s: Script) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [d, setD] = useState<Draft>(() =>
    script
      ? {
          case_type: script.case_type,
          title: script.title,
          language: script.language,
          root_node: script.root_node,
          is_active: script.is_active,
          nodes: script.nodes,
        }
      : blank(),
  );
  const articles = useQuery({ queryKey: ['knowledge-articles', 'for-scripts'], queryFn: () => listArticles({ limit: 200 }) });
  const setStep = (i: number, x: Partial<Step>) => setD({ ...d, nodes: d.nodes.map((n, j) => (j === i ? { ...n, ...x } : n)) });
  const setOption = (i: number, k: number, x: Partial<Option>) => setStep(i, { options: d.nodes[i].options.map((o, j) => (j === k ? { ...o, ...x } : o)) });
  const save = useMutation({
    mutationFn: () => {
      const body = {
        ...d,
        nodes: d.nodes.map((n) => ({ ...n, article_id: n.article_id || null, options: n.options.map((o) => ({ ...o, next: o.next || null })) })),
      };
      return saveScript(script?.id, body);
    },
    onSuccess: (s) => {
      qc.setQueryData<{ data: Script[] }>(['knowledge-scripts'], (old) => old && { data: [...old.data.filter((x) => x.id !== s.id), s] });
      void qc.invalidateQueries({ queryKey: ['knowledge-scripts'] });
      onSaved(s);
    },
  });
  const stepIds = d.nodes.map((n) => n.id);
  const articleOptions = [
    { value: '', label: t('knowledge.noArticle') },
    ...(articles.data?.data ?? []).map((a) => ({ value: a.id, label: `${a.title} (${a.language})` })),
  ];
  return (
    <Card title={script ? t('knowledge.editScript', { title: script.title }) : t('knowledge.newScript')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <div className="row">
          <TextField label={t('knowledge.scriptTitle')} value={d.title} onChange={(e) => setD({ ...d, title: e.target.value })} />
          <TextField label={t('knowledge.caseType')} value={d.case_type} onChange={(e) => setD({ ...d, case_type: e.target.value })} />
          <SelectField
            label={t('common.language')}
            value={d.language}
            onChange={(e) => setD({ ...d, language: e.target.value })}
            options={ALL_LANGUAGES.map((l) => ({ value: l, label: t(`knowledge.language.${l}`) }))}
          />
          <SelectField
            label={t('knowledge.startsAt')}
            value={d.root_node}
            onChange={(e) => setD({ ...d, root_node: e.target.value })}
            options={stepIds.map((x) => ({ value: x, label: x }))}
          />
          <Checkbox label={t('knowledge.active')} checked={d.is_active} onChange={(e) => setD({ ...d, is_active: e.target.checked })} />
        </div>
        <h3>{t('knowledge.steps')}</h3>
        {d.nodes.map((n, i) => (
          <fieldset key={i} className="question" data-step={n.id}>
            <legend>{t('knowledge.step', { id: n.id })}</legend>
            <div className="row">
              <TextField
                label={t('knowledge.stepId')}
                value={n.id}
                onChange={(e) => {
                  // Answers and the start follow a renamed step.
                  const was = n.id,
                    now = e.target.value;
                  setD({
                    ...d,
                    root_node: d.root_node === was ? now : d.root_node,
                    nodes: d.nodes.map((x, j) => ({
                      ...x,
                      id: j === i ? now : x.id,
                      options: x.options.map((o) => (o.next === was ? { ...o, next: now } : o)),
                    })),
                  });
                }}
              />
              <SelectField
                label={t('knowledge.kindLabel')}
                value={n.kind}
                onChange={(e) => setStep(i, { kind: e.target.value as Step['kind'] })}
                options={(['question', 'action'] as const).map((k) => ({ value: k, label: t(`knowledge.kind.${k}`) }))}
              />
              <SelectField
                label={t('knowledge.article')}
                value={n.article_id ?? ''}
                onChange={(e) => setStep(i, { article_id: e.target.value || null })}
                options={articleOptions}
              />
            </div>
            <TextArea label={t('knowledge.text')} rows={2} value={n.text} onChange={(v) => setStep(i, { text: v })} />
            <h4>{t('knowledge.options')}</h4>
            {n.options.map((o, k) => (
              <div className="row" key={k} data-option={o.id}>
                <TextField label={t('knowledge.optionLabel')} value={o.label} onChange={(e) => setOption(i, k, { label: e.target.value })} />
                <SelectField
                  label={t('knowledge.next')}
                  value={o.next ?? ''}
                  onChange={(e) => setOption(i, k, { next: e.target.value || null })}
                  options={[{ value: '', label: t('knowledge.end') }, ...stepIds.filter((x) => x !== n.id).map((x) => ({ value: x, label: x }))]}
                />
                <div className="field">
                  <Button variant="ghost" onClick={() => setStep(i, { options: n.options.filter((_, j) => j !== k) })}>
                    {t('knowledge.removeOption', { label: o.label || o.id })}
                  </Button>
                </div>
              </div>
            ))}
            <Button
              onClick={() =>
                setStep(i, {
                  options: [
                    ...n.options,
                    {
                      id: freeId(
                        'answer_',
                        n.options.map((o) => o.id),
                      ),
                      label: '',
                      next: null,
                    },
                  ],
                })
              }
            >
              {t('knowledge.addOption')}
            </Button>{' '}
            {d.nodes.length > 1 && (
              <Button
                variant="ghost"
                onClick={() => {
                  // Answers that led to the removed step now end the script; the start moves to the first step left.
                  const nodes = d.nodes
                    .filter((_, j) => j !== i)
                    .map((x) => ({ ...x, options: x.options.map((o) => (o.next === n.id ? { ...o, next: null } : o)) }));
                  setD({ ...d, nodes, root_node: d.root_node === n.id ? nodes[0].id : d.root_node });
                }}
              >
                {t('knowledge.removeStep', { id: n.id })}
              </Button>
            )}
          </fieldset>
        ))}
        <p>
          <Button onClick={() => setD({ ...d, nodes: [...d.nodes, { id: freeId('step_', stepIds), kind: 'action', text: '', options: [] }] })}>
            {t('knowledge.addStep')}
          </Button>
        </p>
        <Problems error={save.error} />
        <Button type="submit" variant="primary" busy={save.isPending}>
          {t('knowledge.saveScript')}
        </Button>
      </form>
    </Card>
  );
}
