package dev.nabd.model;

import dev.nabd.gguf.GgufFile;
import dev.nabd.gguf.GgufTensorInfo;
import dev.nabd.model.Architecture.TensorNames;
import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The weights of a dense decoder as views into the mapped file. Matrices stay in their stored type;
 * only the small vectors (norm weights, biases, RoPE factors) are decoded to floats once.
 */
public final class ModelWeights {

    /** The weights of one transformer block. Optional parts are {@code null}. */
    public record Layer(float[] attnNorm, Tensor wq, Tensor wk, Tensor wv, Tensor wo,
                        float[] bq, float[] bk, float[] bv, float[] qNorm, float[] kNorm,
                        float[] ffnNorm, Tensor gate, Tensor up, Tensor down) {
    }

    private final Tensor tokenEmbedding;
    private final float[] outputNorm;
    private final Tensor output;
    private final float[] ropeFreqs;
    private final Layer[] layers;
    private final long parameterCount;
    private final Map<GgmlType, Integer> typeCounts;

    private ModelWeights(Tensor tokenEmbedding, float[] outputNorm, Tensor output, float[] ropeFreqs, Layer[] layers,
                         long parameterCount, Map<GgmlType, Integer> typeCounts) {
        this.tokenEmbedding = tokenEmbedding;
        this.outputNorm = outputNorm;
        this.output = output;
        this.ropeFreqs = ropeFreqs;
        this.layers = layers;
        this.parameterCount = parameterCount;
        this.typeCounts = typeCounts;
    }

    /** Binds every tensor the configuration needs, checking names, types and shapes. */
    public static ModelWeights bind(GgufFile file, ModelConfig c) {
        Binder b = new Binder(file);
        TensorNames n = c.architecture().tensors();
        Tensor embd = b.matrix(n.tokenEmbedding(), c.dim(), c.vocabSize());
        float[] outNorm = b.vector(n.outputNorm(), c.dim());
        Tensor out = b.has(n.output()) ? b.matrix(n.output(), c.dim(), c.vocabSize()) : embd;
        float[] ropeFreqs = b.has(n.ropeFreqs()) ? b.vector(n.ropeFreqs(), c.ropeDim() / 2) : null;
        Layer[] layers = new Layer[c.layers()];
        for (int i = 0; i < layers.length; i++) {
            int l = i;
            java.util.function.Function<String, String> name = t -> TensorNames.layer(t, l);
            boolean biases = b.has(name.apply(n.attnQBias()));
            boolean qkNorm = c.architecture().qkNorm();
            layers[i] = new Layer(
                    b.vector(name.apply(n.attnNorm()), c.dim()),
                    b.matrix(name.apply(n.attnQ()), c.dim(), c.qDim()),
                    b.matrix(name.apply(n.attnK()), c.dim(), c.kvDim()),
                    b.matrix(name.apply(n.attnV()), c.dim(), c.vDim()),
                    b.matrix(name.apply(n.attnOutput()), c.qDim(), c.dim()),
                    biases ? b.vector(name.apply(n.attnQBias()), c.qDim()) : null,
                    biases ? b.vector(name.apply(n.attnKBias()), c.kvDim()) : null,
                    biases ? b.vector(name.apply(n.attnVBias()), c.vDim()) : null,
                    qkNorm ? b.vector(name.apply(n.attnQNorm()), c.headDim()) : null,
                    qkNorm ? b.vector(name.apply(n.attnKNorm()), c.headDim()) : null,
                    b.vector(name.apply(n.ffnNorm()), c.dim()),
                    b.matrix(name.apply(n.ffnGate()), c.dim(), c.ffnDim()),
                    b.matrix(name.apply(n.ffnUp()), c.dim(), c.ffnDim()),
                    b.matrix(name.apply(n.ffnDown()), c.ffnDim(), c.dim()));
        }
        long params = 0;
        Map<GgmlType, Integer> types = new TreeMap<>();
        for (GgufTensorInfo t : file.tensors()) {
            params += t.elementCount();
            types.merge(t.type(), 1, Integer::sum);
        }
        return new ModelWeights(embd, outNorm, out, ropeFreqs, layers, params, types);
    }

    public Tensor tokenEmbedding() {
        return tokenEmbedding;
    }

    public float[] outputNorm() {
        return outputNorm;
    }

    /** The output projection ({@link #tokenEmbedding()} itself when the embeddings are tied). */
    public Tensor output() {
        return output;
    }

    /** Llama-3 RoPE frequency divisors, one per rotated pair, or {@code null}. */
    public float[] ropeFreqs() {
        return ropeFreqs;
    }

    public Layer layer(int i) {
        return layers[i];
    }

    /** Number of values in every tensor of the file. */
    public long parameterCount() {
        return parameterCount;
    }

    /** How many tensors of each type the file holds. */
    public Map<GgmlType, Integer> typeCounts() {
        return typeCounts;
    }

    /** Looks tensors up by name and checks what it finds. */
    private static final class Binder {
        private final GgufFile file;

        Binder(GgufFile file) {
            this.file = file;
        }

        boolean has(String name) {
            return file.tensor(name) != null;
        }

        Tensor matrix(String name, long cols, long rows) {
            GgufTensorInfo t = require(name);
            if (t.shape().length != 2 || t.shape()[0] != cols || t.shape()[1] != rows) {
                throw new ModelException(file.path() + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                        + ", expected [" + cols + ", " + rows + "]");
            }
            return new Tensor(name, t.type(), t.shape(), file.tensorData(t));
        }

        float[] vector(String name, long length) {
            GgufTensorInfo t = require(name);
            if (t.elementCount() != length) {
                throw new ModelException(file.path() + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                        + ", expected " + length + " values");
            }
            return new Tensor(name, t.type(), t.shape(), file.tensorData(t)).toFloats();
        }

        private GgufTensorInfo require(String name) {
            GgufTensorInfo t = file.tensor(name);
            if (t == null) {
                throw new ModelException(file.path() + ": required tensor '" + name + "' is missing");
            }
            if (!t.type().supported()) {
                throw new ModelException(file.path() + ": tensor '" + name + "' has type " + t.type() + ", which nabd cannot compute with yet");
            }
            return t;
        }
    }
}
