package org.cnemarket.engine.ledger.fabric;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerUnavailableException;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.ChaincodeEventsRequest;
import org.hyperledger.fabric.client.Checkpoint;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.CommitStatusException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.GatewayRuntimeException;
import org.hyperledger.fabric.client.Hash;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Proposal;
import org.hyperledger.fabric.client.SubmitException;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockchainInfo;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link TransactionSubmitter} over a real Fabric Gateway connection (gRPC with TLS). */
final class GatewaySubmitter implements TransactionSubmitter {
  private static final Logger LOG = LoggerFactory.getLogger(GatewaySubmitter.class);

  /** Largest gateway response accepted: the peers' and orderer's default gRPC limit (100 MB). */
  static final int MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

  private final FabricConfig config;
  private final ManagedChannel channel;
  private final Gateway gateway;
  private final Network network;
  private final Contract contract;
  private final Contract qscc;

  private GatewaySubmitter(FabricConfig config, ManagedChannel channel, Gateway gateway) {
    this.config = config;
    this.channel = channel;
    this.gateway = gateway;
    this.network = gateway.getNetwork(config.channel());
    this.contract = network.getContract(config.chaincode());
    this.qscc = network.getContract("qscc");
  }

  /** Opens the gRPC channel and the gateway; nothing is sent until the first call. */
  static GatewaySubmitter connect(FabricConfig config) throws LedgerException {
    X509Identity identity;
    PrivateKey key;
    try (Reader certReader = Files.newBufferedReader(config.certPath(), StandardCharsets.UTF_8);
        Reader keyReader = Files.newBufferedReader(config.keyPath(), StandardCharsets.UTF_8)) {
      identity = new X509Identity(config.mspId(), Identities.readX509Certificate(certReader));
      key = Identities.readPrivateKey(keyReader);
    } catch (IOException | CertificateException | InvalidKeyException e) {
      throw new LedgerException(
          "cannot read Fabric identity (" + config.certPath() + ", " + config.keyPath() + "): " + e,
          e);
    }
    ManagedChannel grpc;
    try {
      ChannelCredentials tls =
          TlsChannelCredentials.newBuilder().trustManager(config.tlsCaCert().toFile()).build();
      // An endorsed settlement comes back with its batch and write set: far above gRPC's 4 MB
      // default for large rounds. The orderer's AbsoluteMaxBytes is the real limit.
      ManagedChannelBuilder<?> builder =
          Grpc.newChannelBuilder(config.peerEndpoint(), tls)
              .maxInboundMessageSize(MAX_MESSAGE_BYTES);
      config.hostOverride().ifPresent(builder::overrideAuthority);
      grpc = builder.build();
    } catch (IOException | IllegalArgumentException e) {
      throw new LedgerException("cannot set up TLS to " + config.peerEndpoint() + ": " + e, e);
    }
    FabricConfig.Deadlines d = config.deadlines();
    Gateway gw =
        Gateway.newInstance()
            .identity(identity)
            .signer(Signers.newPrivateKeySigner(key))
            .hash(Hash.SHA256)
            .connection(grpc)
            .evaluateOptions(deadline(d.evaluate()))
            .endorseOptions(deadline(d.endorse()))
            .submitOptions(deadline(d.submit()))
            .commitStatusOptions(deadline(d.commitStatus()))
            .connect();
    LOG.info(
        "Fabric gateway {} as {} on channel {}, chaincode {}",
        config.peerEndpoint(),
        config.mspId(),
        config.channel(),
        config.chaincode());
    return new GatewaySubmitter(config, grpc, gw);
  }

  private static UnaryOperator<CallOptions> deadline(Duration d) {
    return options -> options.withDeadlineAfter(d.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Committed submit(String transaction, String... args) throws LedgerException {
    FabricConfig.Deadlines d = config.deadlines();
    String txId = "";
    try {
      Proposal.Builder proposal = contract.newProposal(transaction).addArguments(args);
      if (!config.endorsingOrganizations().isEmpty()) {
        proposal.setEndorsingOrganizations(config.endorsingOrganizations().toArray(String[]::new));
      }
      Transaction endorsed = endorse(proposal.build(), d, config);
      txId = endorsed.getTransactionId();
      SubmittedTransaction submitted = endorsed.submitAsync(deadline(d.submit()));
      org.hyperledger.fabric.client.Status status = submitted.getStatus(deadline(d.commitStatus()));
      return new Committed(
          status.getTransactionId(),
          status.getBlockNumber(),
          status.getCode(),
          new String(submitted.getResult(), StandardCharsets.UTF_8));
    } catch (EndorseException e) {
      throw Rejections.map(transaction + " (endorse)", e);
    } catch (SubmitException e) {
      throw Rejections.map(transaction + " (submit " + txId + ")", e);
    } catch (CommitStatusException e) {
      // Ordered, perhaps committed: the caller retries and the chaincode's idempotency decides.
      throw Rejections.map(transaction + " (commit status " + txId + ")", e);
    } catch (StatusRuntimeException e) {
      throw new LedgerUnavailableException(transaction + ": " + e.getStatus(), e);
    }
  }

  /** How long an endorsement waits for service discovery to know enough peers. */
  private static final Duration DISCOVERY_WAIT = Duration.ofSeconds(40);

  /** How long an endorsement waits for another organisation's peer to catch up with ours. */
  private static final Duration CATCH_UP_WAIT = Duration.ofSeconds(10);

  /**
   * Endorses, asking again while the network is not yet in step; any other failure is final here.
   * Endorsing changes nothing, so asking again is safe. Two cases are waited out:
   *
   * <ul>
   *   <li>service discovery cannot yet name peers that satisfy the endorsement policy (gossip
   *       membership converging after a network start or a peer restart);
   *   <li>only other organisations' peers refused: the commit status this engine waited for came
   *       from its own organisation's peer, so a transaction that reads what the previous one wrote
   *       can reach a peer that has not committed that block yet. Our peer has every block our
   *       commits produced; a refusal it shares is a real one.
   * </ul>
   */
  private static Transaction endorse(Proposal p, FabricConfig.Deadlines d, FabricConfig config)
      throws EndorseException {
    long start = System.nanoTime();
    long waitMillis = 100;
    while (true) {
      try {
        return p.endorse(deadline(d.endorse()));
      } catch (EndorseException e) {
        Duration patience;
        String why;
        if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION
            && String.valueOf(e.getMessage()).contains("no combination of peers")) {
          patience = DISCOVERY_WAIT;
          why = "discovery knows too few peers yet";
        } else if (onlyOtherOrganisationsRefused(e, config)) {
          patience = CATCH_UP_WAIT;
          why = "another organisation's peer refused what ours endorsed; it may be behind";
        } else {
          throw e;
        }
        if (System.nanoTime() - start + waitMillis * 1_000_000 > patience.toNanos()) {
          throw e;
        }
        LOG.warn("endorsement: {}; asking again in {} ms", why, waitMillis);
        try {
          Thread.sleep(waitMillis);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        waitMillis = Math.min(waitMillis * 2, 2000);
      }
    }
  }

  /**
   * True when the endorsement failed on chaincode refusals from peers of organisations other than
   * ours only, while ours was asked to endorse (no endorsing organisations named, or ours among
   * them).
   */
  static boolean onlyOtherOrganisationsRefused(EndorseException e, FabricConfig config) {
    List<String> endorsing = config.endorsingOrganizations();
    if (!endorsing.isEmpty() && !endorsing.contains(config.mspId())) {
      return false;
    }
    List<ErrorDetail> details;
    try {
      details = e.getDetails();
    } catch (RuntimeException unreadable) {
      return false;
    }
    if (details.isEmpty()) {
      return false;
    }
    for (ErrorDetail detail : details) {
      if (config.mspId().equals(detail.getMspId())
          || Rejections.chaincodeMessage(detail.getMessage()).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String evaluate(String transaction, String... args) throws LedgerException {
    try {
      byte[] result =
          contract
              .newProposal(transaction)
              .addArguments(args)
              .build()
              .evaluate(deadline(config.deadlines().evaluate()));
      return new String(result, StandardCharsets.UTF_8);
    } catch (GatewayException e) {
      throw Rejections.map(transaction, e);
    } catch (StatusRuntimeException e) {
      throw new LedgerUnavailableException(transaction + ": " + e.getStatus(), e);
    }
  }

  @Override
  public long height() throws LedgerException {
    try {
      byte[] info = qscc.evaluateTransaction("GetChainInfo", config.channel());
      return BlockchainInfo.parseFrom(info).getHeight();
    } catch (GatewayException e) {
      throw Rejections.map("qscc:GetChainInfo", e);
    } catch (InvalidProtocolBufferException e) {
      throw new LedgerUnavailableException("qscc:GetChainInfo returned no BlockchainInfo", e);
    }
  }

  @Override
  public long blockOfTransaction(String txId) throws LedgerException {
    try {
      byte[] block = qscc.evaluateTransaction("GetBlockByTxID", config.channel(), txId);
      return Block.parseFrom(block).getHeader().getNumber();
    } catch (GatewayException e) {
      throw Rejections.map("qscc:GetBlockByTxID " + txId, e);
    } catch (InvalidProtocolBufferException e) {
      throw new LedgerUnavailableException("qscc:GetBlockByTxID returned no Block", e);
    }
  }

  @Override
  public List<ChainEvent> events(long startBlock, Optional<String> afterTransactionId, int max)
      throws LedgerException {
    ChaincodeEventsRequest.Builder builder =
        network.newChaincodeEventsRequest(config.chaincode()).startBlock(startBlock);
    afterTransactionId.ifPresent(
        tx ->
            builder.checkpoint(
                new Checkpoint() {
                  @Override
                  public OptionalLong getBlockNumber() {
                    return OptionalLong.of(startBlock);
                  }

                  @Override
                  public Optional<String> getTransactionId() {
                    return Optional.of(tx);
                  }
                }));
    List<ChainEvent> out = new ArrayList<>();
    // The stream never ends by itself: the deadline bounds how long we wait for more.
    try (CloseableIterator<ChaincodeEvent> it =
        builder.build().getEvents(deadline(config.deadlines().events()))) {
      while (out.size() < max && it.hasNext()) {
        ChaincodeEvent e = it.next();
        out.add(
            new ChainEvent(
                e.getBlockNumber(),
                e.getTransactionId(),
                e.getEventName(),
                new String(e.getPayload(), StandardCharsets.UTF_8)));
      }
    } catch (GatewayRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED
          && e.getStatus().getCode() != Status.Code.CANCELLED) {
        throw new LedgerUnavailableException("chaincode events: " + e.getStatus(), e);
      }
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
        throw new LedgerUnavailableException("chaincode events: " + e.getStatus(), e);
      }
    }
    return out;
  }

  @Override
  public void close() {
    gateway.close();
    channel.shutdownNow();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("gRPC channel to {} did not terminate in 5 s", config.peerEndpoint());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
