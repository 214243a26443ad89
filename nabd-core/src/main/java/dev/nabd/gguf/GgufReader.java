package dev.nabd.gguf;

import dev.nabd.tensor.GgmlType;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the header of a GGUF file (versions 2 and 3) from its memory mapping.
 *
 * <p>Layout (all little-endian): magic {@code "GGUF"}, u32 version, u64 tensor count, u64 metadata count,
 * the metadata entries (string key, u32 type, value), the tensor directory (string name, u32 rank,
 * u64[rank] dims, u32 ggml type, u64 offset), padding to {@code general.alignment}, then the data.
 * Strings are a u64 byte length followed by UTF-8 bytes.
 *
 * <p>The file is untrusted input: every length and count is checked against the bytes that remain
 * before anything is allocated, so a truncated or hostile file ends in a {@link GgufException} naming the
 * file and the problem, never in an {@link OutOfMemoryError} or an index error.
 */
final class GgufReader {
    private static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
    private static final int MAX_DIMS = 4;        // GGML_MAX_DIMS
    private static final int MAX_NESTING = 8;     // deeper arrays than this are not real metadata
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final MemorySegment seg;
    private final long size;
    private long pos;

    private GgufReader(String name, MemorySegment seg) {
        this.name = name;
        this.seg = seg;
        this.size = seg.byteSize();
    }

    static GgufFile open(Path path) {
        String name = path.toString();
        if (Files.isDirectory(path)) {
            throw new GgufException(name + ": is a directory, not a GGUF file");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                throw new GgufException(name + ": file is empty");
            }
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return new GgufReader(name, seg).read(path, arena);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new GgufException(name + ": no such file");
        } catch (IOException e) {
            arena.close();
            throw new GgufException(name + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private GgufFile read(Path path, Arena arena) {
        need(4, "magic");
        int magic = seg.get(U32, 0);
        if (magic != MAGIC) {
            throw fail("not a GGUF file (bad magic " + hex(magic) + ")");
        }
        pos = 4;
        need(4, "version");
        int version = seg.get(U32, pos);
        pos += 4;
        if (version == 1) {
            throw fail("GGUF version 1 is not supported (versions 2 and 3 are)");
        }
        if (version != 2 && version != 3) {
            if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3) {
                throw fail("big-endian GGUF files are not supported");
            }
            throw fail("unsupported GGUF version " + Integer.toUnsignedString(version) + " (versions 2 and 3 are)");
        }
        long tensorCount = readU64("tensor count");
        long kvCount = readU64("metadata count");
        // The smallest metadata entry is a key length (8), a type (4) and a 1-byte value; the smallest
        // tensor entry is a name length (8), a rank (4), a type (4) and an offset (8).
        checkCount(kvCount, 13, "metadata entries");
        checkCount(tensorCount, 24, "tensors");

        Map<String, GgufValue> kv = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = readString("metadata key #" + i);
            GgufValueType type = readType("value type of '" + shown(key) + "'");
            GgufValue value = readValue(type, key, 0);
            if (kv.put(key, value) != null) {
                throw fail("duplicate metadata key '" + shown(key) + "'");
            }
        }
        GgufMetadata metadata = new GgufMetadata(name, kv);
        int alignment = readAlignment(metadata);

        List<GgufTensorInfo> tensors = new ArrayList<>((int) tensorCount);
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            tensors.add(readTensorInfo(i, alignment, names));
        }
        long dataOffset = alignUp(pos, alignment);
        for (GgufTensorInfo t : tensors) {
            long end = dataOffset + t.offset() + t.byteSize();
            if (t.offset() > size || end > size || end < 0) {
                throw fail("tensor '" + t.name() + "' (" + t.byteSize() + " bytes at data offset " + t.offset()
                        + ") points past the end of the file (" + size + " bytes): the file is truncated or corrupt");
            }
        }
        return new GgufFile(path, version, metadata, tensors, dataOffset, alignment, seg, arena);
    }

    private int readAlignment(GgufMetadata metadata) {
        if (!metadata.contains("general.alignment")) {
            return GgufFile.DEFAULT_ALIGNMENT;
        }
        long a = metadata.getLong("general.alignment");
        if (a <= 0 || a > (1 << 20) || Long.bitCount(a) != 1) {
            throw fail("general.alignment must be a power of two up to 1 MiB, not " + a);
        }
        return (int) a;
    }

    private GgufTensorInfo readTensorInfo(long index, int alignment, Set<String> names) {
        String name = readString("name of tensor #" + index);
        String tname = shown(name);
        if (!names.add(name)) {
            throw fail("duplicate tensor name '" + tname + "'");
        }
        need(4, "rank of tensor '" + tname + "'");
        int rank = seg.get(U32, pos);
        pos += 4;
        if (rank < 1 || rank > MAX_DIMS) {
            throw fail("tensor '" + tname + "' has " + Integer.toUnsignedString(rank) + " dimensions (1 to " + MAX_DIMS + " allowed)");
        }
        long[] shape = new long[rank];
        long elements = 1;
        for (int d = 0; d < rank; d++) {
            shape[d] = readU64("dimension " + d + " of tensor '" + tname + "'");
            if (shape[d] <= 0) {
                throw fail("tensor '" + tname + "' has dimension " + d + " of size " + Long.toUnsignedString(shape[d]));
            }
            try {
                elements = Math.multiplyExact(elements, shape[d]);
            } catch (ArithmeticException e) {
                throw fail("tensor '" + tname + "' has an absurd element count (shape overflows 64 bits)");
            }
        }
        need(4, "type of tensor '" + tname + "'");
        int typeId = seg.get(U32, pos);
        pos += 4;
        GgmlType type = GgmlType.byId(typeId);
        if (type == null) {
            throw fail("tensor '" + tname + "' has unknown ggml type id " + Integer.toUnsignedString(typeId));
        }
        if (shape[0] % type.blockSize() != 0) {
            throw fail("tensor '" + tname + "' of type " + type + " has rows of " + shape[0]
                    + " values, not a multiple of its block size " + type.blockSize());
        }
        long offset = readU64("data offset of tensor '" + tname + "'");
        if (offset < 0 || offset % alignment != 0) {
            throw fail("tensor '" + tname + "' has data offset " + Long.toUnsignedString(offset)
                    + ", not a multiple of the alignment " + alignment);
        }
        try {
            type.bytesFor(elements);
        } catch (ArithmeticException e) {
            throw fail("tensor '" + tname + "' has an absurd byte size");
        }
        return new GgufTensorInfo(name, shape, type, offset);
    }

    private GgufValue readValue(GgufValueType type, String key, int depth) {
        String what = "value of '" + shown(key) + "'";
        return switch (type) {
            case UINT8, INT8 -> { need(1, what); yield new GgufValue(type, seg.get(ValueLayout.JAVA_BYTE, pos++)); }
            case BOOL -> { need(1, what); yield new GgufValue(type, readBool(what)); }
            case UINT16, INT16 -> { need(2, what); short v = seg.get(U16, pos); pos += 2; yield new GgufValue(type, v); }
            case UINT32, INT32 -> { need(4, what); int v = seg.get(U32, pos); pos += 4; yield new GgufValue(type, v); }
            case FLOAT32 -> { need(4, what); float v = seg.get(F32, pos); pos += 4; yield new GgufValue(type, v); }
            case UINT64, INT64 -> new GgufValue(type, readU64(what));
            case FLOAT64 -> { need(8, what); double v = seg.get(F64, pos); pos += 8; yield new GgufValue(type, v); }
            case STRING -> new GgufValue(type, readString(what));
            case ARRAY -> new GgufValue(type, readArray(key, depth + 1));
        };
    }

    private boolean readBool(String what) {
        byte b = seg.get(ValueLayout.JAVA_BYTE, pos++);
        if (b != 0 && b != 1) {
            throw fail(what + " is a bool of value " + b + " (0 or 1 expected)");
        }
        return b == 1;
    }

    private GgufArray readArray(String rawKey, int depth) {
        String key = shown(rawKey);
        if (depth > MAX_NESTING) {
            throw fail("array '" + key + "' is nested more than " + MAX_NESTING + " deep");
        }
        GgufValueType et = readType("element type of array '" + key + "'");
        long count = readU64("length of array '" + key + "'");
        checkCount(count, et.minBytes(), "elements in array '" + key + "'");
        int n = (int) count;
        String what = "element of array '" + key + "'";
        switch (et) {
            case UINT8, INT8, BOOL -> {
                need(n, what);
                byte[] a = seg.asSlice(pos, n).toArray(ValueLayout.JAVA_BYTE);
                pos += n;
                if (et == GgufValueType.BOOL) {
                    for (byte b : a) {
                        if (b != 0 && b != 1) {
                            throw fail("array '" + key + "' holds a bool of value " + b);
                        }
                    }
                }
                return new GgufArray(et, a);
            }
            case UINT16, INT16 -> {
                need(2L * n, what);
                short[] a = new short[n];
                for (int i = 0; i < n; i++, pos += 2) {
                    a[i] = seg.get(U16, pos);
                }
                return new GgufArray(et, a);
            }
            case UINT32, INT32 -> {
                need(4L * n, what);
                int[] a = new int[n];
                for (int i = 0; i < n; i++, pos += 4) {
                    a[i] = seg.get(U32, pos);
                }
                return new GgufArray(et, a);
            }
            case FLOAT32 -> {
                need(4L * n, what);
                float[] a = new float[n];
                for (int i = 0; i < n; i++, pos += 4) {
                    a[i] = seg.get(F32, pos);
                }
                return new GgufArray(et, a);
            }
            case UINT64, INT64 -> {
                need(8L * n, what);
                long[] a = new long[n];
                for (int i = 0; i < n; i++, pos += 8) {
                    a[i] = seg.get(U64, pos);
                }
                return new GgufArray(et, a);
            }
            case FLOAT64 -> {
                need(8L * n, what);
                double[] a = new double[n];
                for (int i = 0; i < n; i++, pos += 8) {
                    a[i] = seg.get(F64, pos);
                }
                return new GgufArray(et, a);
            }
            case STRING -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    a[i] = readString(what + " #" + i);
                }
                return new GgufArray(et, a);
            }
            case ARRAY -> {
                GgufArray[] a = new GgufArray[n];
                for (int i = 0; i < n; i++) {
                    a[i] = readArray(rawKey, depth + 1);
                }
                return new GgufArray(et, a);
            }
            default -> throw new AssertionError(et);
        }
    }

    private GgufValueType readType(String what) {
        need(4, what);
        int id = seg.get(U32, pos);
        pos += 4;
        GgufValueType t = GgufValueType.byId(id);
        if (t == null) {
            throw fail("unknown metadata type id " + Integer.toUnsignedString(id) + " for " + what + " at byte " + (pos - 4));
        }
        return t;
    }

    private String readString(String what) {
        long len = readU64("length of " + what);
        if (len < 0 || len > size - pos) {
            throw fail("truncated or corrupt: " + what + " claims " + Long.toUnsignedString(len)
                    + " bytes at byte " + pos + " but only " + (size - pos) + " remain");
        }
        if (len > Integer.MAX_VALUE - 16) {
            throw fail(what + " is longer than 2 GiB");
        }
        byte[] bytes = seg.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
        pos += len;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private long readU64(String what) {
        need(8, what);
        long v = seg.get(U64, pos);
        pos += 8;
        return v;
    }

    /** Rejects a count that could not fit in the bytes left (each element at least {@code minBytes}). */
    private void checkCount(long count, int minBytes, String what) {
        long remaining = size - pos;
        if (count < 0 || count > remaining / Math.max(1, minBytes) || count > Integer.MAX_VALUE - 16) {
            throw fail("absurd number of " + what + ": " + Long.toUnsignedString(count) + " with only "
                    + remaining + " bytes left in the file");
        }
    }

    private void need(long bytes, String what) {
        if (bytes > size - pos) {
            throw fail("truncated: file ends at byte " + size + " while reading " + what + " at byte " + pos);
        }
    }

    private GgufException fail(String message) {
        return new GgufException(name + ": " + message);
    }

    /**
     * A name as it may appear in an error message: a corrupt file can make a "name" of megabytes of
     * binary, so control characters are escaped and long names cut.
     */
    private static String shown(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length() && sb.length() < 80; i++) {
            char c = name.charAt(i);
            sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.length() < 80 ? sb.toString() : sb + "… (" + name.length() + " chars)";
    }

    private static long alignUp(long x, int alignment) {
        return (x + alignment - 1) / alignment * alignment;
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }
}
