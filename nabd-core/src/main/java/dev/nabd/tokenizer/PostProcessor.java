package dev.nabd.tokenizer;

import java.util.List;

/**
 * A post-processor stage (Hugging Face {@code processors}): puts the special tokens around an encoded
 * sequence when the caller asks for them ({@code add_special_tokens}). Only single sequences are
 * encoded here, so only the {@code single} template of a processor matters.
 */
@FunctionalInterface
interface PostProcessor {
    /** Adds nothing (also Hugging Face's {@code ByteLevel} processor, which only adjusts offsets). */
    PostProcessor NONE = (ids, addSpecial) -> ids;

    /** The final ids of {@code ids}; with {@code addSpecial} false the ids themselves. */
    int[] process(int[] ids, boolean addSpecial);

    /**
     * {@code TemplateProcessing} with the template for a single sequence, and BERT's and RoBERTa's fixed
     * ones ({@code [CLS] $A [SEP]}, {@code <s> $A </s>}): the ids before the sequence, then the sequence,
     * then the ids after it. A template without {@code $A} puts the sequence nowhere, as in Hugging Face.
     */
    record Template(int[] before, int[] after, boolean hasSequence) implements PostProcessor {
        /** Around the sequence; GGUF's BOS/EOS flags and the fixed BERT/RoBERTa templates. */
        static Template around(int[] before, int[] after) {
            return new Template(before, after, true);
        }

        @Override
        public int[] process(int[] ids, boolean addSpecial) {
            if (!addSpecial) {
                return ids;
            }
            int[] seq = hasSequence ? ids : new int[0];
            int[] out = new int[before.length + seq.length + after.length];
            System.arraycopy(before, 0, out, 0, before.length);
            System.arraycopy(seq, 0, out, before.length, seq.length);
            System.arraycopy(after, 0, out, before.length + seq.length, after.length);
            return out;
        }
    }

    /** The processors in order. */
    record Sequence(List<PostProcessor> processors) implements PostProcessor {
        public Sequence {
            processors = List.copyOf(processors);
        }

        @Override
        public int[] process(int[] ids, boolean addSpecial) {
            for (PostProcessor p : processors) {
                ids = p.process(ids, addSpecial);
            }
            return ids;
        }
    }
}
