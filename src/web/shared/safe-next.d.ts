/** See safe-next.js: `next` when it is a path of this site (`origin`), resolved; else null. */
export declare function safeNext(next: string | null | undefined, origin: string): string | null;
