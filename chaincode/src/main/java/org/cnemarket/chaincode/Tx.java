package org.cnemarket.chaincode;

import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.cnemarket.core.codec.Json;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.ChaincodeException;

/**
 * The one way contract methods run their rules: access check, configuration check, rules over a
 * {@link TxState}, then (only on success) the writes and the event. Rule failures that are plain
 * argument errors ({@link IllegalArgumentException}, {@link ArithmeticException}) become INVALID;
 * anything else is a bug, logged and left to Fabric's generic error response.
 */
public final class Tx {
  private static final Logger LOG = Logger.getLogger(Tx.class.getName());

  private Tx() {}

  /** An operator transaction on a configured market. */
  public static String submit(Context ctx, Function<TxContext, Object> rules) {
    return run(ctx, true, true, rules);
  }

  /** An operator transaction that may run before configuration ({@code config:Configure}). */
  public static String submitUnconfigured(Context ctx, Function<TxContext, Object> rules) {
    return run(ctx, true, false, rules);
  }

  /** A query for operators and auditors; it writes nothing. */
  public static String query(Context ctx, Function<TxContext, Object> rules) {
    return run(ctx, false, false, rules);
  }

  private static String run(
      Context ctx, boolean submit, boolean needsConfig, Function<TxContext, Object> rules) {
    if (submit) {
      Access.requireOperator(ctx);
    } else {
      Access.requireReader(ctx);
    }
    TxContext tx = new TxContext(ctx.getStub());
    Object result;
    try {
      if (needsConfig) {
        tx.domain();
      }
      result = rules.apply(tx);
    } catch (ChaincodeException e) {
      throw e;
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw ReasonCode.INVALID.reject(String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "chaincode bug in " + ctx.getStub().getFunction(), e);
      throw e;
    }
    if (submit) {
      tx.state().flush();
    }
    return result instanceof String s ? s : Json.write(result);
  }
}
