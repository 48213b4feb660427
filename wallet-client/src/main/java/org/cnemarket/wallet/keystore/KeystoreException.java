package org.cnemarket.wallet.keystore;

/** A keystore could not be read, decrypted or written; {@link #reason()} says which case. */
public final class KeystoreException extends Exception {
  /** Why a keystore operation failed, so callers (the CLI) can map it to an exit code. */
  public enum Reason {
    /** No keystore file at the path. */
    MISSING,
    /** The MAC does not match: the password is wrong (or the file was altered). */
    WRONG_PASSWORD,
    /** Not a V3 keystore we can read (malformed JSON, unknown cipher or KDF, bad lengths). */
    INVALID,
    /** Refusing to overwrite an existing keystore file. */
    EXISTS,
    /** The file system failed. */
    IO
  }

  private final Reason reason;

  public KeystoreException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public KeystoreException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
