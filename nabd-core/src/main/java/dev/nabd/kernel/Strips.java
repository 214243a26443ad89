package dev.nabd.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the packed weight types share ({@link Q3Strips}, {@link Q4Strips}, {@link Q5Strips}, {@link Q6Strips},
 * {@link Q8Strips}): strips of rows across the lanes of the machine's vectors (W 16-bit lanes: 32 with
 * AVX-512, 16 with AVX2; a strip is W rows, or 2W for Q3, Q4, Q5 and Q6 whose lanes hold two rows each), and the order
 * in which a product walks them. One token, or a range too small for a group, goes strip by strip
 * through the decode kernel {@link #one}. A batch goes a group of strips at a time: {@link #unpack} turns
 * the group into 16-bit values once (where the type's tile needs them), then {@link #tile} runs it by
 * {@link #tokens} tokens at a time and the tokens left by {@link #TOKENS} ({@link #narrowTile}). A
 * range that is not whole groups, or a batch that is not whole tiles, ends with a group or tile that
 * overlaps the one before it: those outputs are computed twice, to the same bits, by the same thread.
 * A product may be asked for a range of tokens only (threads sharing a group, see MatMul): its tiles
 * and their overlap stay inside that range, and a range shorter than a tile goes through {@link #one}.
 * A matrix whose rows are not whole strips ends with a strip padded with zero rows, computed by
 * {@link #one} into scratch memory and copied out.
 *
 * <p>Each type's kernels compute an output with the same operations in the same order in {@link #one}
 * and {@link #tile}, so results do not depend on the batch.
 *
 * <p>The kernels are larger than C2 parses in one go. It inlines a method's callees while parsing up to
 * about 18000 nodes (NodeCountInliningCutoff, fixed in product builds) and the rest incrementally
 * afterwards; a Vector API call costs 130 to 980 nodes at parse, so every kernel here crosses that line
 * (Q4Strips.oneQ4K about halfway through its bytecode, -XX:+LogCompilation of {@code nabd bench},
 * 2026-12-04). In the incremental part an intrinsic whose input is not typed yet can fail for good and
 * stay a call, its vectors then boxed on the heap: seen in one of four logged random-order runs of the
 * test suite (oneQ4K's last add, Q6Strips.tile's stores), in no bench run. Splitting oneQ4K in two did
 * not bring either half under the line and cost 16% from memory, so it stays whole.
 */
abstract class Strips implements PackedMatrix {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, F.vectorShape());
    /** The 16-bit lane count: rows per strip where a lane holds one row. */
    static final int W = S.length();
    static final int HALF = W / 2;
    /**
     * HALF bytes (a strip's per-row scales, or a half column of Q8_0 weights), to be widened to the HALF
     * lanes of F or of an int vector of F's shape. At least 64 bits: with W = 8 a load reads 4 bytes past
     * the HALF it uses.
     */
    static final VectorSpecies<Byte> HALF_BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, 8 * HALF)));
    /** Ints in F's shape (HALF lanes): 16-bit sums and fp16 scales widen to them. */
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /**
     * The bytes of HALF fp16 values: a run of HALF rows' d (or m) as the file has it (Q4_0, Q8_0, Q5_0,
     * Q5_1, Q4_1), widened in registers as {@link PanamaRows.Half} widens F16 weights (exactly).
     */
    static final VectorSpecies<Byte> D_HALVES = VectorSpecies.of(byte.class, VectorShape.forBitSize(16 * HALF));
    /** Bytes a HALF_BYTES load reads past its HALF rows where HALF &lt; 8 (128-bit vectors): packed byte arrays end with as many spare. */
    static final int BYTES_PAST = HALF_BYTES.length() - HALF;
    /**
     * Swaps a 16-bit vector's halves, so that its upper half (lanes HALF .. W) is widened as part 0: {@code
     * v.rearrange(UPPER).convertShape(S2I, I, 0)} has the lanes and bits of {@code v.convertShape(S2I, I, 1)},
     * which the Vector API makes from a slice (a shuffle computed at run time, a compare, a permute and a
     * blend); this is one permute by a constant shuffle (one vpermw with AVX-512; AVX2 has no 16-bit
     * permute across its 128-bit halves, so there C2 needs several instructions: not measured).
     */
    static final VectorShuffle<Short> UPPER = VectorShuffle.fromOp(S, i -> (i + HALF) % W);
    /** HALF shorts: half of a vector of 16-bit sums, loaded on its own to be widened to F or I (load and widening to ints in one instruction with AVX-512). */
    static final VectorSpecies<Short> SUM_HALVES = VectorSpecies.of(short.class, VectorShape.forBitSize(16 * HALF));
    /** Bytes of a whole vector: the packed byte arrays are read as shorts and floats through it. */
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, F.vectorShape());
    /** Tokens per pass of the batch kernels where their type does not say otherwise. */
    static final int TOKENS = 3;

    final int rows;
    final int cols;
    private final ActivationFormat activations;
    private final int group;
    /** Rows per strip: W, or a multiple of W where a lane holds several rows ({@link Q3Strips}, {@link Q4Strips}, {@link Q5Strips}, {@link Q6Strips}). */
    private final int height;
    /** Tokens per pass of {@link #tile}. */
    final int tokens;

    /**
     * @param group strips per group of the batch kernel: what its registers hold
     * @param height rows per strip
     * @param tokens tokens per pass of the batch kernel
     */
    Strips(int rows, int cols, ActivationFormat activations, int group, int height, int tokens) {
        this.rows = rows;
        this.cols = cols;
        this.activations = activations;
        this.group = group;
        this.height = height;
        this.tokens = tokens;
    }

    /** A type whose batch kernel takes {@link #TOKENS} tokens per pass. */
    Strips(int rows, int cols, ActivationFormat activations, int group, int height) {
        this(rows, cols, activations, group, height, TOKENS);
    }

    @Override
    public final ActivationFormat activations() {
        return activations;
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int cols() {
        return cols;
    }

    @Override
    public final int strip() {
        return height;
    }

    @Override
    public final int group() {
        return group;
    }

    @Override
    public final void multiply(Q8Activations x, int tokenFrom, int tokenTo, float[] y, int yStride, int stripFrom, int stripTo, Workspace ws) {
        if (x.cols() != cols) {
            throw new IllegalArgumentException("activations of " + x.cols() + " values for rows of " + cols);
        }
        if (x.format() != activations) {
            throw new IllegalArgumentException(activations + " activations needed, not " + x.format());
        }
        if (tokenFrom < 0 || tokenTo > x.rows() || tokenFrom > tokenTo) {
            throw new IllegalArgumentException("tokens " + tokenFrom + " to " + tokenTo + " of a batch of " + x.rows());
        }
        int whole = Math.min(stripTo, rows / height);   // the range's end, short of a last strip padded with zero rows
        if (tokenTo - tokenFrom < TOKENS || whole - stripFrom < group) {
            for (int s = stripFrom; s < whole; s++) {
                for (int t = tokenFrom; t < tokenTo; t++) {
                    one(s, x, t, y, t * yStride + s * height);
                }
            }
        } else {
            for (int s = stripFrom; s < whole; s += group) {
                int first = Math.min(s, whole - group);
                unpack(first, ws);
                int t = tokenFrom;
                // Wide tiles only where the type has them (tokens > TOKENS); then, or else, narrow ones.
                for (; tokens > TOKENS && t + tokens <= tokenTo; t += tokens) {
                    zero(y, yStride, first, t, tokens);   // the tile adds into y
                    tile(first, ws, x, t, y, t * yStride + first * height, yStride);
                }
                // The tokens left: narrow tiles, the last one overlapping the tile before it.
                for (; t < tokenTo; t += TOKENS) {
                    int from = Math.min(t, tokenTo - TOKENS);
                    zero(y, yStride, first, from, TOKENS);
                    narrowTile(first, ws, x, from, y, from * yStride + first * height, yStride);
                }
            }
        }
        if (stripTo > whole && whole >= stripFrom) {
            // The padded strip: computed whole into scratch, its real rows copied out.
            float[] out = ws.floats(height);
            for (int t = tokenFrom; t < tokenTo; t++) {
                one(whole, x, t, out, 0);
                System.arraycopy(out, 0, y, t * yStride + whole * height, rows - whole * height);
            }
        }
    }

    /** Zeroes the outputs of tokens t .. t+n in the rows of the group from strip {@code first}. */
    private void zero(float[] y, int yStride, int first, int t, int n) {
        for (int j = t; j < t + n; j++) {
            java.util.Arrays.fill(y, j * yStride + first * height, j * yStride + (first + group) * height, 0f);
        }
    }

    /** Writes {@code value} to bytes[at .. at+4), little-endian: as a float vector reinterpreted from {@link #B} reads it. */
    static void putFloat(byte[] bytes, int at, float value) {
        int bits = Float.floatToRawIntBits(value);
        for (int k = 0; k < 4; k++) {
            bytes[at + k] = (byte) (bits >>> 8 * k);
        }
    }

    /** Writes a little-endian short to bytes[at .. at+2): as a vector of shorts reinterpreted from {@link #B} reads it. */
    static void putShort(byte[] bytes, int at, short value) {
        bytes[at] = (byte) value;
        bytes[at + 1] = (byte) (value >> 8);
    }

    /** ORs {@code bits} into the little-endian short at bytes[at .. at+2): packers fill a lane's fields row by row. */
    static void orShort(byte[] bytes, int at, int bits) {
        bytes[at] |= (byte) bits;
        bytes[at + 1] |= (byte) (bits >> 8);
    }

    /** Rows rounded up to whole strips of {@code height} rows: the packed copies pad the last strip with zero rows. */
    static int padded(int rows, int height) {
        return (rows + height - 1) / height * height;
    }

    /** The 16-bit values of a group of strips, as {@link #unpack} writes them and {@link #tile} reads them. */
    final short[] unpacked(Workspace ws) {
        return ws.shorts(cols * group * height);
    }

    /** Token {@code t} through strip {@code s}: y[yOff .. yOff+height). */
    abstract void one(int s, Q8Activations x, int t, float[] y, int yOff);

    /** The group of strips from {@code first} as 16-bit values in {@link #unpacked}(ws) (cols × group × height shorts). */
    abstract void unpack(int first, Workspace ws);

    /**
     * Tokens t .. t+{@link #tokens} through the group {@link #unpack}ed in ws, whose first strip is {@code first};
     * token t+j's results are added to y[yOff + j·yStride ..], which the caller has zeroed.
     */
    abstract void tile(int first, Workspace ws, Q8Activations x, int t, float[] y, int yOff, int yStride);

    /**
     * Tokens t .. t+{@link #TOKENS} through the group, as {@link #tile} (and with its arithmetic): every
     * tile of a type whose {@link #tokens} is TOKENS (this default: its {@link #tile}), and the tokens left
     * after whole wide tiles of one whose {@link #tokens} is larger.
     */
    void narrowTile(int first, Workspace ws, Q8Activations x, int t, float[] y, int yOff, int yStride) {
        tile(first, ws, x, t, y, yOff, yStride);
    }
}
