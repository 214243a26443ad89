package dev.nabd.gguf;

import dev.nabd.tensor.GgmlType;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes GGUF files (version 3 by default, or 2): metadata in insertion order, then the tensor directory,
 * then each tensor's bytes at the alignment named by {@code general.alignment} (32 when absent).
 *
 * <p>Tensor bytes are given already encoded in their type (see {@code BlockCodec#quantize}); the writer
 * only lays them out. Used by tests to build random-weight models of any architecture, and by
 * {@code quantize}.
 */
public final class GgufWriter {
    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private int version = 3;

    /** A tensor to write; its bytes are produced only when the writer reaches it, so a large model never sits in memory whole. */
    private record PendingTensor(String name, long[] shape, GgmlType type, long byteSize, Supplier<MemorySegment> data) {
    }

    /** Sets the format version: 2 or 3 (they differ only in the version number this writer stores). */
    public GgufWriter version(int v) {
        if (v != 2 && v != 3) {
            throw new IllegalArgumentException("GGUF version must be 2 or 3, not " + v);
        }
        this.version = v;
        return this;
    }

    /** Adds or replaces one metadata entry; entries are written in the order they were first added. */
    public GgufWriter put(String key, GgufValue value) {
        metadata.put(key, value);
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValue.ofString(value));
    }

    public GgufWriter putUint32(String key, int value) {
        return put(key, GgufValue.ofUint32(value));
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValue.ofFloat32(value));
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValue.ofBool(value));
    }

    public GgufWriter putArray(String key, GgufArray value) {
        return put(key, GgufValue.ofArray(value));
    }

    /** Copies every metadata entry of {@code source}, in its order. */
    public GgufWriter putAll(GgufMetadata source) {
        source.asMap().forEach(this::put);
        return this;
    }

    /**
     * Adds a tensor whose bytes are already encoded in {@code type}.
     *
     * @param shape ggml dimensions, row length first
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, MemorySegment data) {
        return addTensor(name, type, shape, data.byteSize(), () -> data);
    }

    /**
     * Adds a tensor whose bytes ({@code byteSize} of them, already encoded in {@code type}) are produced
     * by {@code data} when the file is written.
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, long byteSize, Supplier<MemorySegment> data) {
        long elements = 1;
        for (long d : shape) {
            elements = Math.multiplyExact(elements, d);
        }
        long bytes = type.bytesFor(elements);
        if (bytes < 0 || shape[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException(name + ": rows of " + shape[0] + " values do not fit " + type + " blocks of " + type.blockSize());
        }
        if (byteSize != bytes) {
            throw new IllegalArgumentException(name + ": " + type + " " + java.util.Arrays.toString(shape) + " needs "
                    + bytes + " bytes, got " + byteSize);
        }
        tensors.add(new PendingTensor(name, shape.clone(), type, byteSize, data));
        return this;
    }

    /** Adds an F32 tensor from floats. */
    public GgufWriter addF32(String name, long[] shape, float[] values) {
        return addTensor(name, GgmlType.F32, shape, MemorySegment.ofArray(toLittleEndianBytes(values)));
    }

    /** Writes the file, replacing {@code path}. */
    public void write(Path path) throws IOException {
        int alignment = GgufFile.DEFAULT_ALIGNMENT;
        GgufValue a = metadata.get("general.alignment");
        if (a != null) {
            alignment = (int) a.asLong();
        }
        try (OutputStream raw = Files.newOutputStream(path);
             CountingOut out = new CountingOut(new BufferedOutputStream(raw, 1 << 20))) {
            out.u32(0x46554747);
            out.u32(version);
            out.u64(tensors.size());
            out.u64(metadata.size());
            for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
                out.string(e.getKey());
                out.u32(e.getValue().type().id());
                writeValue(out, e.getValue().type(), e.getValue().value());
            }
            long offset = 0;
            long[] offsets = new long[tensors.size()];
            for (int i = 0; i < tensors.size(); i++) {
                PendingTensor t = tensors.get(i);
                offsets[i] = offset;
                offset = alignUp(offset + t.byteSize, alignment);
                out.string(t.name);
                out.u32(t.shape.length);
                for (long d : t.shape) {
                    out.u64(d);
                }
                out.u32(t.type.id());
                out.u64(offsets[i]);
            }
            out.pad(alignment);
            long dataStart = out.count;
            for (int i = 0; i < tensors.size(); i++) {
                PendingTensor t = tensors.get(i);
                out.zeros(dataStart + offsets[i] - out.count);
                MemorySegment bytes = t.data.get();
                if (bytes.byteSize() != t.byteSize) {
                    throw new IllegalStateException(t.name + ": produced " + bytes.byteSize() + " bytes instead of " + t.byteSize);
                }
                out.segment(bytes);
            }
            if (!tensors.isEmpty()) {
                out.pad(alignment);
            }
        }
    }

    private static void writeValue(CountingOut out, GgufValueType type, Object value) throws IOException {
        switch (type) {
            case UINT8, INT8 -> out.write((Byte) value);
            case BOOL -> out.write((Boolean) value ? 1 : 0);
            case UINT16, INT16 -> out.u16((Short) value);
            case UINT32, INT32 -> out.u32((Integer) value);
            case FLOAT32 -> out.u32(Float.floatToRawIntBits((Float) value));
            case UINT64, INT64 -> out.u64((Long) value);
            case FLOAT64 -> out.u64(Double.doubleToRawLongBits((Double) value));
            case STRING -> out.string((String) value);
            case ARRAY -> writeArray(out, (GgufArray) value);
        }
    }

    private static void writeArray(CountingOut out, GgufArray array) throws IOException {
        out.u32(array.elementType().id());
        out.u64(array.length());
        switch (array.values()) {
            case byte[] v -> out.write(v);
            case short[] v -> {
                for (short x : v) {
                    out.u16(x);
                }
            }
            case int[] v -> {
                for (int x : v) {
                    out.u32(x);
                }
            }
            case long[] v -> {
                for (long x : v) {
                    out.u64(x);
                }
            }
            case float[] v -> {
                for (float x : v) {
                    out.u32(Float.floatToRawIntBits(x));
                }
            }
            case double[] v -> {
                for (double x : v) {
                    out.u64(Double.doubleToRawLongBits(x));
                }
            }
            case String[] v -> {
                for (String x : v) {
                    out.string(x);
                }
            }
            case GgufArray[] v -> {
                for (GgufArray x : v) {
                    writeArray(out, x);
                }
            }
            default -> throw new IllegalArgumentException("unsupported array storage " + array.values().getClass());
        }
    }

    /** Encodes floats as little-endian F32 bytes. */
    public static byte[] toLittleEndianBytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    private static long alignUp(long x, int alignment) {
        return (x + alignment - 1) / alignment * alignment;
    }

    /** A little-endian output stream that knows how many bytes it has written. */
    private static final class CountingOut extends OutputStream {
        private final OutputStream out;
        private final byte[] scratch = new byte[8];
        long count;

        CountingOut(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        void u16(short v) throws IOException {
            scratch[0] = (byte) v;
            scratch[1] = (byte) (v >>> 8);
            write(scratch, 0, 2);
        }

        void u32(int v) throws IOException {
            for (int i = 0; i < 4; i++) {
                scratch[i] = (byte) (v >>> (8 * i));
            }
            write(scratch, 0, 4);
        }

        void u64(long v) throws IOException {
            for (int i = 0; i < 8; i++) {
                scratch[i] = (byte) (v >>> (8 * i));
            }
            write(scratch, 0, 8);
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            write(b);
        }

        void segment(MemorySegment s) throws IOException {
            byte[] chunk = new byte[1 << 16];
            for (long off = 0; off < s.byteSize(); off += chunk.length) {
                int n = (int) Math.min(chunk.length, s.byteSize() - off);
                MemorySegment.copy(s, ValueLayout.JAVA_BYTE, off, chunk, 0, n);
                write(chunk, 0, n);
            }
        }

        void zeros(long n) throws IOException {
            for (long i = 0; i < n; i++) {
                write(0);
            }
        }

        void pad(int alignment) throws IOException {
            zeros(alignUp(count, alignment) - count);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
