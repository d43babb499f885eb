// Where the web edition sends a learner who needs what a web page cannot
// do (their own mail program): the README's downloads section. `make web`
// ships the README as readme.html beside the app; MAILLAB_DOWNLOADS_URL
// points elsewhere (a school's own page) when set at build time.

export const downloadsUrl: string = import.meta.env.VITE_MAILLAB_DOWNLOADS_URL || './readme.html#get-maillab';
