package org.cnemarket.chaincode.embedded;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.shim.Chaincode;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;

/**
 * A {@link ChaincodeStub} for one transaction over a {@link StateStore}, with Fabric's semantics so
 * chaincode that runs here runs the same on a peer:
 *
 * <ul>
 *   <li>reads (point, range, composite-key, history) see the committed state only, never this
 *       transaction's own writes;
 *   <li>writes go to a write set (last write per key wins, ordered by key) that the caller commits
 *       only when the chaincode answered with status 200;
 *   <li>{@code getState} of an absent key returns an empty array, as the Fabric shim does, so an
 *       empty value cannot be told from an absent one: {@code putState(key, new byte[0])} is
 *       recorded as a delete;
 *   <li>range queries reject composite keys and an empty start means "after the composite-key
 *       namespace"; partial composite-key queries cover {@code prefix .. prefix + U+10FFFF};
 *   <li>history is newest first, as Fabric 2.x returns it;
 *   <li>one event per transaction (a second {@code setEvent} replaces the first).
 * </ul>
 *
 * <p>Private data, rich (CouchDB) queries, pagination, chaincode-to-chaincode calls, key-level
 * endorsement and the signed proposal are not supported and throw {@link
 * UnsupportedOperationException} naming the feature. Not thread-safe: one instance per transaction,
 * used by one thread.
 */
public final class EmbeddedStub implements ChaincodeStub {
  // Same values as the Fabric shim's InvocationStubImpl.
  private static final String UNSPECIFIED_START_KEY = new String(Character.toChars(0x000001));
  private static final String MAX_UNICODE_RUNE = "\udbff\udfff";

  private final StateStore store;
  private final String channelId;
  private final String txId;
  private final List<String> args;
  private final byte[] creator;
  private final Instant timestamp;
  private final NavigableMap<String, byte[]> writes = new TreeMap<>(StateStore.KEY_ORDER);
  private ChaincodeEvent event;

  /**
   * @param store committed state to read
   * @param channelId the channel name reported to the chaincode
   * @param txId the transaction id
   * @param args the function name followed by its arguments
   * @param creator a serialized {@code msp.SerializedIdentity} (see {@link EmbeddedCa})
   * @param timestamp the transaction timestamp (the client's proposal time on Fabric)
   */
  public EmbeddedStub(
      StateStore store,
      String channelId,
      String txId,
      List<String> args,
      byte[] creator,
      Instant timestamp) {
    this.store = Objects.requireNonNull(store, "store");
    this.channelId = Objects.requireNonNull(channelId, "channelId");
    this.txId = Objects.requireNonNull(txId, "txId");
    this.args = List.copyOf(args);
    this.creator = Objects.requireNonNull(creator, "creator").clone();
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
  }

  /** The write set so far, ordered by key; a {@code null} value is a delete. */
  public List<Write> writeSet() {
    List<Write> out = new ArrayList<>(writes.size());
    writes.forEach((k, v) -> out.add(new Write(k, v == null ? null : v.clone())));
    return out;
  }

  /** The event set by the transaction, if any. */
  public Optional<TxEvent> txEvent() {
    return event == null
        ? Optional.empty()
        : Optional.of(new TxEvent(event.getEventName(), event.getPayload().toByteArray()));
  }

  // ---- arguments and transaction facts

  @Override
  public List<byte[]> getArgs() {
    return args.stream().map(a -> a.getBytes(StandardCharsets.UTF_8)).toList();
  }

  @Override
  public List<String> getStringArgs() {
    return args;
  }

  @Override
  public String getFunction() {
    return args.isEmpty() ? null : args.get(0);
  }

  @Override
  public List<String> getParameters() {
    return args.isEmpty() ? List.of() : args.subList(1, args.size());
  }

  @Override
  public String getTxId() {
    return txId;
  }

  @Override
  public String getChannelId() {
    return channelId;
  }

  @Override
  public Instant getTxTimestamp() {
    return timestamp;
  }

  @Override
  public byte[] getCreator() {
    return creator.clone();
  }

  @Override
  public Map<String, byte[]> getTransient() {
    // The embedded ledger has no transient field: the map is genuinely empty.
    return Map.of();
  }

  // ---- world state

  @Override
  public byte[] getState(String key) {
    Objects.requireNonNull(key, "key cannot be null");
    byte[] v = store.get(key);
    return v == null ? new byte[0] : v;
  }

  @Override
  public void putState(String key, byte[] value) {
    validateKey(key);
    Objects.requireNonNull(value, "value cannot be null");
    writes.put(key, value.length == 0 ? null : value.clone());
  }

  @Override
  public void delState(String key) {
    validateKey(key);
    writes.put(key, null);
  }

  @Override
  public QueryResultsIterator<KeyValue> getStateByRange(String startKey, String endKey) {
    String start = startKey == null || startKey.isEmpty() ? UNSPECIFIED_START_KEY : startKey;
    String end = endKey == null ? "" : endKey;
    CompositeKey.validateSimpleKeys(start, end);
    return rangeIterator(start, end);
  }

  @Override
  public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(String compositeKey) {
    CompositeKey key =
        compositeKey == null || compositeKey.isEmpty()
            ? new CompositeKey(UNSPECIFIED_START_KEY)
            : CompositeKey.parseCompositeKey(compositeKey);
    return getStateByPartialCompositeKey(key);
  }

  @Override
  public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(
      String objectType, String... attributes) {
    return getStateByPartialCompositeKey(new CompositeKey(objectType, attributes));
  }

  @Override
  public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(CompositeKey compositeKey) {
    String prefix =
        compositeKey == null
            ? new CompositeKey(UNSPECIFIED_START_KEY).toString()
            : compositeKey.toString();
    return rangeIterator(prefix, prefix + MAX_UNICODE_RUNE);
  }

  @Override
  public CompositeKey createCompositeKey(String objectType, String... attributes) {
    return new CompositeKey(objectType, attributes);
  }

  @Override
  public CompositeKey splitCompositeKey(String compositeKey) {
    return CompositeKey.parseCompositeKey(compositeKey);
  }

  @Override
  public QueryResultsIterator<KeyModification> getHistoryForKey(String key) {
    Objects.requireNonNull(key, "key cannot be null");
    List<KeyModification> mods = new ArrayList<>();
    for (StateStore.HistoryEntry h : store.history(key)) {
      mods.add(new Modification(h));
    }
    Collections.reverse(mods); // Fabric 2.x: newest first
    return new ListIterator<>(mods);
  }

  private QueryResultsIterator<KeyValue> rangeIterator(String start, String end) {
    List<KeyValue> kvs = new ArrayList<>();
    for (StateStore.Entry e : store.range(start, end)) {
      kvs.add(new Kv(e.key(), e.value()));
    }
    return new ListIterator<>(kvs);
  }

  private static void validateKey(String key) {
    Objects.requireNonNull(key, "key cannot be null");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key cannot not be an empty string");
    }
  }

  // ---- events

  @Override
  public void setEvent(String name, byte[] payload) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("event name can not be nil string");
    }
    ChaincodeEvent.Builder b = ChaincodeEvent.newBuilder().setEventName(name).setTxId(txId);
    if (payload != null) {
      b.setPayload(ByteString.copyFrom(payload));
    }
    event = b.build();
  }

  @Override
  public ChaincodeEvent getEvent() {
    return event;
  }

  // ---- not supported by the embedded ledger

  @Override
  public Chaincode.Response invokeChaincode(
      String chaincodeName, List<byte[]> args, String channel) {
    throw unsupported("chaincode-to-chaincode invocation (invokeChaincode)");
  }

  @Override
  public byte[] getStateValidationParameter(String key) {
    throw unsupported("key-level endorsement policies (getStateValidationParameter)");
  }

  @Override
  public void setStateValidationParameter(String key, byte[] value) {
    throw unsupported("key-level endorsement policies (setStateValidationParameter)");
  }

  @Override
  public QueryResultsIteratorWithMetadata<KeyValue> getStateByRangeWithPagination(
      String startKey, String endKey, int pageSize, String bookmark) {
    throw unsupported("paginated range queries (getStateByRangeWithPagination)");
  }

  @Override
  public QueryResultsIteratorWithMetadata<KeyValue> getStateByPartialCompositeKeyWithPagination(
      CompositeKey compositeKey, int pageSize, String bookmark) {
    throw unsupported(
        "paginated composite-key queries (getStateByPartialCompositeKeyWithPagination)");
  }

  @Override
  public QueryResultsIterator<KeyValue> getQueryResult(String query) {
    throw unsupported("rich queries, which need CouchDB (getQueryResult)");
  }

  @Override
  public QueryResultsIteratorWithMetadata<KeyValue> getQueryResultWithPagination(
      String query, int pageSize, String bookmark) {
    throw unsupported("rich queries, which need CouchDB (getQueryResultWithPagination)");
  }

  @Override
  public byte[] getPrivateData(String collection, String key) {
    throw unsupported("private data (getPrivateData)");
  }

  @Override
  public byte[] getPrivateDataHash(String collection, String key) {
    throw unsupported("private data (getPrivateDataHash)");
  }

  @Override
  public byte[] getPrivateDataValidationParameter(String collection, String key) {
    throw unsupported("private data (getPrivateDataValidationParameter)");
  }

  @Override
  public void putPrivateData(String collection, String key, byte[] value) {
    throw unsupported("private data (putPrivateData)");
  }

  @Override
  public void setPrivateDataValidationParameter(String collection, String key, byte[] value) {
    throw unsupported("private data (setPrivateDataValidationParameter)");
  }

  @Override
  public void delPrivateData(String collection, String key) {
    throw unsupported("private data (delPrivateData)");
  }

  @Override
  public void purgePrivateData(String collection, String key) {
    throw unsupported("private data (purgePrivateData)");
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataByRange(
      String collection, String startKey, String endKey) {
    throw unsupported("private data (getPrivateDataByRange)");
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(
      String collection, String compositeKey) {
    throw unsupported("private data (getPrivateDataByPartialCompositeKey)");
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(
      String collection, CompositeKey compositeKey) {
    throw unsupported("private data (getPrivateDataByPartialCompositeKey)");
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(
      String collection, String objectType, String... attributes) {
    throw unsupported("private data (getPrivateDataByPartialCompositeKey)");
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataQueryResult(String collection, String query) {
    throw unsupported("private data (getPrivateDataQueryResult)");
  }

  @Override
  public SignedProposal getSignedProposal() {
    throw unsupported("the signed proposal (getSignedProposal): there is no proposal in-process");
  }

  @Override
  public byte[] getBinding() {
    throw unsupported("the proposal binding (getBinding): there is no proposal in-process");
  }

  @Override
  public String getMspId() {
    throw unsupported("the peer's local MSP id (getMspId): there is no peer in-process");
  }

  private static UnsupportedOperationException unsupported(String feature) {
    return new UnsupportedOperationException("the embedded ledger does not support " + feature);
  }

  // ---- result types

  private record Kv(String key, byte[] value) implements KeyValue {
    @Override
    public String getKey() {
      return key;
    }

    @Override
    public byte[] getValue() {
      return value.clone();
    }

    @Override
    public String getStringValue() {
      return new String(value, StandardCharsets.UTF_8);
    }
  }

  private record Modification(StateStore.HistoryEntry entry) implements KeyModification {
    @Override
    public String getTxId() {
      return entry.txId();
    }

    @Override
    public byte[] getValue() {
      return entry.value() == null ? new byte[0] : entry.value().clone();
    }

    @Override
    public String getStringValue() {
      return new String(getValue(), StandardCharsets.UTF_8);
    }

    @Override
    public Instant getTimestamp() {
      return Instant.ofEpochMilli(entry.timestampMillis());
    }

    @Override
    public boolean isDeleted() {
      return entry.isDelete();
    }
  }

  /** Iterates a snapshot taken when the query ran; iterating after close() fails, as on a peer. */
  private static final class ListIterator<T> implements QueryResultsIterator<T> {
    private final List<T> items;
    private boolean closed;

    ListIterator(List<T> items) {
      this.items = items;
    }

    @Override
    public Iterator<T> iterator() {
      Iterator<T> it = items.iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return !closed && it.hasNext();
        }

        @Override
        public T next() {
          if (closed) {
            throw new NoSuchElementException("query iterator is closed");
          }
          return it.next();
        }
      };
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
