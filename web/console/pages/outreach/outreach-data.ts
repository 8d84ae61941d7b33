// What the outreach tabs share: the API client's types and the queries more than one tab reads.
export {
  PURPOSES,
  useSegments,
  useTemplates,
  type Campaign,
  type Journey,
  type LocaleContent,
  type PlanStats,
  type Purpose,
  type Segment,
  type Template,
} from '../../api/outreach.js';
