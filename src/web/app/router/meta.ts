import type { Role } from '../auth';

declare module 'vue-router' {
  interface RouteMeta {
    /** The page's Chinese name (the menu entry and the tab title). */
    title?: string;
    /** Who may open it; absent: anyone signed in. */
    roles?: Role[];
    /** The first-level menu it is grouped under; absent: a top-level entry. */
    menu?: string;
    /** An Element Plus icon name (e.g. 'Document'). */
    icon?: string;
    /** Not in the menu (a detail page). */
    hidden?: boolean;
    /** Open without signing in (the sign-in page, the public page). */
    anonymous?: boolean;
  }
}

export {};
