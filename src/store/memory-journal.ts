// What the in-memory store's tables and maps write to inside a transaction: one undo per change,
// run in reverse when the transaction fails.

/** Puts back what one write changed. */
export type Undo = () => void;

/** The undo journal of the transaction the current call belongs to; undefined outside one. */
export type CurrentJournal = () => Undo[] | undefined;
