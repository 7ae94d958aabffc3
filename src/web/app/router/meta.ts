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
    /** A wall-screen page (挂图作战): the left menu folds to its icons to give the page the width. */
    wall?: boolean;
    /** Open without signing in (the sign-in page, the public page). */
    anonymous?: boolean;
  }
}

export {};
