// Joins widget and inbox: the widget honours a visitor's anonymous id only with the token the inbox's
// web chat signed for it, so a page cannot file feedback as somebody else's visitor.
import type { InboxService } from '../modules/inbox/index.js';
import type { WidgetService } from '../modules/widget/index.js';

export function widgetTrustsWebChatVisitors({ widget, inbox }: { widget: WidgetService; inbox: InboxService }): void {
  widget.setVisitorCheck((tenantId, anonymousId, token) => inbox.isVisitor(tenantId, anonymousId, token));
}
