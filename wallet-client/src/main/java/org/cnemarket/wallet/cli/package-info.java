/**
 * The {@code cne-wallet} command line: picocli commands over {@link
 * org.cnemarket.wallet.WalletApi}. Output goes to the context's stdout/stderr (human text, or one
 * JSON object with {@code --json}); every failure has its own exit code ({@link
 * org.cnemarket.wallet.cli.ExitCodes}).
 */
package org.cnemarket.wallet.cli;
