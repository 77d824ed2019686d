/** The record cannot answer: a run id that does not exist, a damaged record, a query it cannot read. Exit 2. */
export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordError';
  }
}
