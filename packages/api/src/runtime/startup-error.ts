/**
 * A problem the person starting Handoff can fix (a port in use, a folder the database cannot
 * reach): entry points print its message alone, without a stack trace, and exit 1.
 */
export class StartupError extends Error {}
