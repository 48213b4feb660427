package org.cnemarket.engine.ledger.evm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

/** A cursor in a one-line text file, replaced atomically (write temp, then rename). */
public final class FileCursorStore implements CursorStore {
  private final Path file;

  public FileCursorStore(Path file) {
    this.file = file;
  }

  @Override
  public OptionalLong load() {
    try {
      if (!Files.exists(file)) {
        return OptionalLong.empty();
      }
      String s = Files.readString(file, StandardCharsets.UTF_8).trim();
      return s.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(s));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read event cursor " + file, e);
    }
  }

  @Override
  public void store(long cursor) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      Files.writeString(tmp, Long.toString(cursor), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write event cursor " + file, e);
    }
  }
}
