// Knowledge: articles with search and a two-language editor, versions, categories, content gaps,
// guided scripts and the help centre's settings. Agents read articles; managers and admins edit.
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../shared/ui.js';
import { useMe } from '../../session.js';
import { canEdit } from './knowledge-data.js';
import { ArticlesScreen } from './articles.js';
import { ArticleEditor } from './article-editor.js';
import { VersionsScreen } from './versions.js';
import { CategoriesScreen } from './categories.js';
import { GapsScreen } from './gaps.js';
import { ScriptsScreen } from './scripts.js';
import { HelpCentreScreen } from './help-centre-settings.js';

export default function KnowledgePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const editor = canEdit(me);
  const tabs = editor ? (['articles', 'categories', 'gaps', 'scripts', 'help-centre'] as const) : (['articles'] as const);
  const managersOnly = (
    <div className="alert" role="alert">
      {t('knowledge.managersOnly')}
    </div>
  );
  return (
    <>
      <PageHeader title={t('knowledge.title')} subtitle={t('knowledge.subtitle')} />
      <nav className="subnav" aria-label={t('knowledge.sections')}>
        {tabs.map((k) => (
          <NavLink key={k} to={`/knowledge/${k}`} end={k !== 'articles'}>
            {t(`knowledge.tab.${k}`)}
          </NavLink>
        ))}
      </nav>
      {!editor && <p className="muted">{t('knowledge.readOnly')}</p>}
      <Routes>
        <Route index element={<Navigate to="articles" replace />} />
        <Route path="articles" element={<ArticlesScreen canEdit={editor} />} />
        <Route path="articles/new" element={editor ? <ArticleEditor key="new" canEdit /> : managersOnly} />
        <Route path="articles/:id" element={<ArticleEditor canEdit={editor} />} />
        <Route path="articles/:id/versions" element={<VersionsScreen canEdit={editor} />} />
        <Route path="categories" element={editor ? <CategoriesScreen /> : managersOnly} />
        <Route path="gaps" element={editor ? <GapsScreen /> : managersOnly} />
        <Route path="scripts" element={editor ? <ScriptsScreen /> : managersOnly} />
        <Route path="help-centre" element={editor ? <HelpCentreScreen /> : managersOnly} />
      </Routes>
    </>
  );
}
