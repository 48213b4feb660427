package org.cnemarket.engine.ledger.fabric;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.OptionalLong;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.JsonException;
import org.cnemarket.engine.ledger.LedgerException;

/**
 * An {@link EventCheckpointer} in a small JSON file, {@code {"blockNumber":..,"cursor":..}},
 * replaced atomically (write to a temporary file, fsync, rename) so a crash leaves either the old
 * or the new position, never a torn one.
 */
public final class FileEventCheckpointer implements EventCheckpointer {
  private final Path file;

  public FileEventCheckpointer(Path file) {
    this.file = file.toAbsolutePath();
  }

  public Path file() {
    return file;
  }

  @Override
  public OptionalLong load() throws LedgerException {
    if (!Files.exists(file)) {
      return OptionalLong.empty();
    }
    try {
      Fields f = Fields.of(Json.parse(Files.readString(file, StandardCharsets.UTF_8)), "checkpoint");
      return OptionalLong.of(f.longValue("cursor"));
    } catch (IOException | JsonException e) {
      throw new LedgerException("cannot read event checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void save(long cursor) throws LedgerException {
    if (cursor < 0) {
      throw new IllegalArgumentException("cursor must not be negative");
    }
    String json =
        Json.write(Map.of("cursor", cursor, "blockNumber", cursor / FabricLedger.EVENTS_PER_BLOCK));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      try (var ch =
          java.nio.channels.FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new LedgerException("cannot write event checkpoint " + file + ": " + e, e);
    }
  }
}
