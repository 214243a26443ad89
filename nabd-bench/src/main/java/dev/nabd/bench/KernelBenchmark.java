package dev.nabd.bench;

import dev.nabd.kernel.FloatOpsProvider;
import dev.nabd.kernel.MatMul;
import dev.nabd.kernel.RowOps;
import dev.nabd.kernel.RowOpsProvider;
import dev.nabd.kernel.ThreadTeam;
import dev.nabd.tensor.BlockCodecs;
import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One weight matrix of a real shape in each type, on one thread: {@code matvec} is the decode product
 * (one token), {@code matmul16} a prompt batch of 16 tokens through the tiled product. Shapes are
 * {@code cols x rows}: Qwen2.5-0.5B's ffn_up (896 x 4864) and Llama-3.2-1B's (2048 x 8192).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class KernelBenchmark {

    @Param({"F16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    public String type;

    @Param({"2048x8192", "896x4864"})
    public String shape;

    private Tensor weights;
    private RowOps rows;
    private float[] x;
    private float[] y;
    private float[] x16;
    private float[] y16;
    private ThreadTeam team;
    private MatMul matMul;
    private MatMul packedMatMul;

    @Setup(Level.Trial)
    public void setUp() {
        GgmlType t = GgmlType.valueOf(type);
        int cols = Integer.parseInt(shape.split("x")[0]);
        int n = Integer.parseInt(shape.split("x")[1]);
        if (cols % t.blockSize() != 0) {
            throw new IllegalStateException(type + " does not fit rows of " + cols);
        }
        SplittableRandom r = new SplittableRandom(42);
        float[] values = new float[cols * n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (r.nextGaussian() * 0.05);
        }
        MemorySegment data = Arena.ofAuto().allocate(t.bytesFor(values.length), 64);
        BlockCodecs.of(t).quantize(values, 0, data, 0, values.length);
        weights = new Tensor("w", t, new long[] {cols, n}, data);
        rows = RowOpsProvider.of(t);
        x = random(r, cols);
        y = new float[n];
        x16 = random(r, 16 * cols);
        y16 = new float[16 * n];
        team = new ThreadTeam(1);
        matMul = new MatMul(team, FloatOpsProvider.get(), cols);
        packedMatMul = new MatMul(team, FloatOpsProvider.get(), cols, true);
        packedMatMul.pack(weights);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        team.close();
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Benchmark
    public float[] matvec() {
        int cols = weights.cols();
        long rowBytes = weights.rowBytes();
        for (int r = 0; r < y.length; r++) {
            y[r] = rows.dot(weights.data(), r * rowBytes, x, 0, cols);
        }
        return y;
    }

    /** One token through the integer kernel on quantised activations (the float product where the type has none). */
    @Benchmark
    public float[] matvecPacked() {
        packedMatMul.apply(weights, x, weights.cols(), y, weights.rows(), 1);
        return y;
    }

    /** 16 tokens through the integer kernel on quantised activations (the float product where the type has none). */
    @Benchmark
    public float[] matmul16Packed() {
        packedMatMul.apply(weights, x16, weights.cols(), y16, weights.rows(), 16);
        return y16;
    }

    @Benchmark
    public float[] matmul16() {
        matMul.apply(weights, x16, weights.cols(), y16, weights.rows(), 16);
        return y16;
    }
}
