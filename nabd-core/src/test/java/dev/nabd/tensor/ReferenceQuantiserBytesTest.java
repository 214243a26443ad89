package dev.nabd.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins the bytes of every reference quantiser, for types the golden GGUF files do not hold as well.
 * The expected SHA-256 digests were computed, when this test was written, from the output of a throwaway
 * C transcription of ggml's {@code quantize_row_*_ref} functions (ggml-quants.c; gcc, x86-64, no FMA
 * contraction) run on exactly these inputs; the same run found our dequantisation of those bytes equal
 * to ggml's {@code dequantize_row_*} bit for bit. (For an all-zero Q8_K block ggml leaves
 * bsums unwritten; that run zeroed them, as we do.) Q4_0, Q8_0, Q4_K and Q6_K are also checked against
 * real llama-quantize output in {@link GoldenQuantsTest}.
 */
class ReferenceQuantiserBytesTest {
    static final int N = 16 * 256;

    /** Seeded inputs that reach the quantisers' corner cases. */
    static float[] data(String kind) {
        SplittableRandom random = new SplittableRandom(kind.hashCode());
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            double g = random.nextGaussian();
            x[i] = (float) switch (kind) {
                case "small" -> 0.02 * g;
                case "offset" -> 3 + g; // every value positive: mins and clipping
                case "heavy" -> (i / 16) % 5 == 0 || (i >= 512 && i < 768) ? 0 : g * g * g; // zero groups, outliers
                case "ties" -> Math.rint(g * 4) / 4; // few distinct values: rounding ties
                default -> throw new IllegalArgumentException(kind);
            };
        }
        return x;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "Q4_0, small, 1aee56148b7c52a92ed8b9c73ed8e16fdd439acf9f7226fef38629ea7e5c3aaf",
        "Q4_0, offset, 281f8e0ef2b2bea8f4662180239540d2399fdd46b33a3439215a5647d7fbe8b0",
        "Q4_0, heavy, 9d013f05f77d887cc7b4e421d6ebf5e95dfc79645a098dad498f34a0d10b3799",
        "Q4_0, ties, 3b455c8d439f7e5a2412b46020df35eba28c9f2e01949ba8054bbf13932ab09f",
        "Q4_1, small, b6b6cf9ae16970599f60f8b126931e3fc85fc30899fb235d8581d6c6a78bdb7f",
        "Q4_1, offset, b9792713d105473677dfa54f426d15d7c630fb749552727b6270fef0cf4aa3ce",
        "Q4_1, heavy, 6ab08feeae9cf1a8c1adb47c74fb2405fdf2b561b0be64a5e630465a7330e1cb",
        "Q4_1, ties, e4b39ef648fe4f6f1c5515c598c685957f8b7f4de28c2dfab3cdea1f3dfde22e",
        "Q5_0, small, 2508f2d3a376af770b147f4cabdb6fbb2f5d4802da4f0b9dd859eef1908659b9",
        "Q5_0, offset, f1199dfe5b4260b3af2cd9664d508792b502dd933f1346f9b10ad1867a2c8593",
        "Q5_0, heavy, aa65c907357dee80a68f69ba6d61552d52eeb9da4941a01d881c0e4b526ebc85",
        "Q5_0, ties, 3f1c64e799c3af6b3a2e9ef65ca1f74f7de59e8cd8e94791d4ccab6d45589634",
        "Q5_1, small, 4f2fb78e603939a9854d6dcb8f999ca8244c0fdfbf0fb6382c1af1fd68b20998",
        "Q5_1, offset, 6e353bd9744077d80373c4feabe0e851ad44e24dec2d0f093ec5980d1cd7dfbb",
        "Q5_1, heavy, da84952a630fec1dcfdf314f9e518fa3519e85a952505ab927bd4e506f30f5c8",
        "Q5_1, ties, 06d1f2fdb9600a408bd86f0ae001bfaf28e1a14e6efec42b85015ddfa19c8554",
        "Q8_0, small, 823092b59c7c6dc2e371000dfef023692db59966c2385c73c1911667585b15d9",
        "Q8_0, offset, f0b904e41df9d0cf456629384e3affa9017db6b93cf8288d59570c6f461cc772",
        "Q8_0, heavy, 57d115642fae34707ed865e7e004caa2d4aa750a64ed870eb7157751103ffa8b",
        "Q8_0, ties, 37c6189ef70a74dc8b8e3ad14c9d43b4863c60cc4b608d5d1a4f1960eea59950",
        "Q2_K, small, 771e69d1036d21d6e097fbaf93ec8c1ec94021df6ba63558b4737d4c328f3f19",
        "Q2_K, offset, 0425833bb58948dbef994e8e8996786b9a0e4298f0693ed2722132a876bdfa55",
        "Q2_K, heavy, 011c6d43418b5f15cfcdcd9cdf3dffd8c31f8bedc477475c06cad4eaf274aa49",
        "Q2_K, ties, 66b61d50789c7303addda9a5cb6c03681f773361b6e8db6355059c0976a94de4",
        "Q3_K, small, c923c856fe7f97993e88d08fe066245eb898914781040a2fbc83221a230be9a0",
        "Q3_K, offset, 00917d56a9801be05adef085833405cae9e13c038800fd2707b1926667ff03e6",
        "Q3_K, heavy, 63ec87c058cfe966a9b0b1a7a46bb77115d475bb5e61e2d64a7ac2acd31bb223",
        "Q3_K, ties, d58b88ca05b5dc22a8c0559fe7e9f8f5e3327d2c363a45cec0a0c50cf16e77a7",
        "Q4_K, small, e37eb58895a232469f43b6c6fca6828fe70e32ad5213517d62894fcdba69c50e",
        "Q4_K, offset, 26d36cf4405e3d996fdd8f7252c644082417cefe8e834dd79ba7595927f6fc3f",
        "Q4_K, heavy, 6fc18546399c0af7b2b11f4b9476b0c2aef0d540ef030e097979c21d825f1682",
        "Q4_K, ties, e48b51927b095ea23ab1f1144a8330f5962f2cef07bef760b725a738474f6149",
        "Q5_K, small, 1cbd3c25cd21f15cd27b95ef101fb50f2c40cc79c2dee7ea1e4197199e0feb28",
        "Q5_K, offset, 59995df4cb043e5b7743f49f0dd76ef6ad3b72597fc5212fff91dae35f3096e3",
        "Q5_K, heavy, 3b24d46f5e1e235daee719206f2c4401de6fe267ecc56e89c5f81fed506d8f9e",
        "Q5_K, ties, 06d13c183108e020fd56f027462d252e220a098b967e1cb6a4cdf078e1b0299d",
        "Q6_K, small, 1e66f8388db49a8192992e6dbc898ad122b7cb17fd305d213216b95e78d1f074",
        "Q6_K, offset, 4e616f30f23493937ee0eb660b420c739ddda651b17da8a97e660e18370b964e",
        "Q6_K, heavy, 64ccaa1844d2b2d5e533b8b731c7f5e0b75da9caf625a0627e69b0cd5dc7d581",
        "Q6_K, ties, 2b0c19987d24e01b098639385ad16abd5af857a2bc4c70d90f881e98911c01b1",
        "Q8_K, small, 7056ad9ba78f5d6a6fbe7a3655414c867e154076aee7b3e388908a2d500df41b",
        "Q8_K, offset, 46096c97cb60aa69a54e94f31973e593ac5091bf66866f274f6366f7adbfb84c",
        "Q8_K, heavy, 5d140d13af19ba22e8e5c3685b5b861450f59217e6c354caf40abcc3f3d7c689",
        "Q8_K, ties, 08f5ea2f73938b9ace67a6f7f247085f598880262883d397d1a576fa8d197979"
    })
    void quantiserOutputMatchesGgmlReference(GgmlType type, String kind, String sha256) throws Exception {
        assertThat(sha256(type, data(kind))).isEqualTo(sha256);
    }

    static String sha256(GgmlType type, float[] x) throws NoSuchAlgorithmException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(type.bytesFor(x.length));
            BlockCodecs.of(type).quantize(x, 0, out, 0, x.length);
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(out.toArray(ValueLayout.JAVA_BYTE)));
        }
    }
}
