import type { SagaRow } from "../../db/queries/conversion-sagas";
import type { SqlReader } from "../../db/reader";
import type { AtomicWriter } from "../../db/writer";
import type { PostingContext } from "../conversions/postings";

/** One database as the saga uses it (docs/scale-out.md): its atomic writer and its reader. */
export type ShardDatabase = { reader: SqlReader; writer: AtomicWriter };

/** A conversion between programs on different databases, as its saga carries it from step to step. */
export type Saga = Omit<SagaRow, "state" | "reason" | "finishedAt" | "idempotencyKey">;

/** The conversion's postings (domain/conversions/postings.ts) for a saga step made at `at`. */
export const sagaPostingContext = (
  saga: Saga,
  at: Date,
  destinationExpiresAfterDays: number | null = null,
): PostingContext => ({ conversion: saga, partnerId: saga.partnerId, at, destinationExpiresAfterDays });

/** A saga step that was already taken (a duplicate or late delivery): it wrote nothing, and nothing is owed. */
export class SagaStepTaken extends Error {
  constructor(readonly sagaId: string) {
    super(`saga ${sagaId}: step already taken`);
    this.name = "SagaStepTaken";
  }
}
