/** Page sizes shared by the server's read models and the browser's live updates. */
export const POSTS_PER_PAGE = 20;
export const pageOfPost = (number: number) => Math.max(1, Math.ceil(number / POSTS_PER_PAGE));

/** The page a paged list is asked for: a whole number, at least 1. */
export const listPage = (page: number | undefined) => Math.max(1, Math.floor(page ?? 1));
/** How many pages `total` items fill at `perPage` a page: at least one, an empty list included. */
export const pageCountOf = (total: number, perPage: number) => Math.max(1, Math.ceil(total / perPage));
