package dev.nabd.gguf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An opened GGUF file: its metadata, its tensor directory, and the whole file mapped once as a
 * {@link MemorySegment}. Tensor data is never copied: {@link #tensorData} returns a slice of the mapping.
 * Close it to unmap; slices must not be used after that.
 */
public final class GgufFile implements AutoCloseable {
    /** The alignment GGUF uses when {@code general.alignment} is absent. */
    public static final int DEFAULT_ALIGNMENT = 32;

    private final Path path;
    private final int version;
    private final GgufMetadata metadata;
    private final List<GgufTensorInfo> tensors;
    private final Map<String, GgufTensorInfo> tensorsByName;
    private final long dataOffset;
    private final int alignment;
    private final MemorySegment mapping;
    private final Arena arena;

    GgufFile(Path path, int version, GgufMetadata metadata, List<GgufTensorInfo> tensors, long dataOffset,
             int alignment, MemorySegment mapping, Arena arena) {
        this.path = path;
        this.version = version;
        this.metadata = metadata;
        this.tensors = List.copyOf(tensors);
        Map<String, GgufTensorInfo> byName = new LinkedHashMap<>();
        for (GgufTensorInfo t : tensors) {
            byName.put(t.name(), t);
        }
        this.tensorsByName = Collections.unmodifiableMap(byName);
        this.dataOffset = dataOffset;
        this.alignment = alignment;
        this.mapping = mapping;
        this.arena = arena;
    }

    /** Opens and validates {@code path}; see {@link GgufReader}. */
    public static GgufFile open(Path path) {
        return GgufReader.open(path);
    }

    public Path path() {
        return path;
    }

    /** GGUF format version (2 or 3). */
    public int version() {
        return version;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    /** The tensor directory, in file order. */
    public List<GgufTensorInfo> tensors() {
        return tensors;
    }

    /** The tensor called {@code name}, or {@code null}. */
    public GgufTensorInfo tensor(String name) {
        return tensorsByName.get(name);
    }

    /** Byte offset of the data section from the start of the file. */
    public long dataOffset() {
        return dataOffset;
    }

    public int alignment() {
        return alignment;
    }

    /** The whole file, mapped read-only. */
    public MemorySegment mapping() {
        return mapping;
    }

    /** The bytes of one tensor: a slice of the mapping, not a copy. */
    public MemorySegment tensorData(GgufTensorInfo t) {
        return mapping.asSlice(dataOffset + t.offset(), t.byteSize());
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
        }
    }
}
