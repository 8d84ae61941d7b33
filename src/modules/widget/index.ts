// Widget: the one-script-tag launcher for customers' websites — its key, allowed sites, feedback button and survey pop-in.
export { createWidgetService, type WidgetService } from './widget-service.js';
export { widgetRoutes } from './routes.js';
