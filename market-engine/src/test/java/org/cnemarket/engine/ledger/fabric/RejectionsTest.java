package org.cnemarket.engine.ledger.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerReason;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.LedgerUnavailableException;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.SubmitException;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.junit.jupiter.api.Test;

/**
 * Rejection mapping on real gateway exception types, built the way the Fabric 2.5 gateway shapes
 * them: gRPC status with {@code ErrorDetail}s in the {@code grpc-status-details-bin} trailer.
 */
class RejectionsTest {

  private static StatusRuntimeException grpcError(
      int code, String description, String... detailMessages) {
    com.google.rpc.Status.Builder s =
        com.google.rpc.Status.newBuilder().setCode(code).setMessage(description);
    for (String m : detailMessages) {
      s.addDetails(
          Any.pack(
              ErrorDetail.newBuilder()
                  .setAddress("127.0.0.1:7051")
                  .setMspId("PlatformMSP")
                  .setMessage(m)
                  .build()));
    }
    return StatusProto.toStatusRuntimeException(s.build());
  }

  @Test
  void reasonFromMessagePrefix() {
    assertThat(Rejections.reasonOf("OVERDRAFT: account 0xab has 5 available"))
        .isEqualTo(LedgerReason.OVERDRAFT);
    assertThat(Rejections.reasonOf("[DOUBLE_CLAIM] trade already reported"))
        .isEqualTo(LedgerReason.DOUBLE_CLAIM);
    assertThat(Rejections.reasonOf("NOT_CONFIGURED")).isEqualTo(LedgerReason.NOT_CONFIGURED);
    assertThat(Rejections.reasonOf("order rejected (NONCE): nonce 3 used"))
        .isEqualTo(LedgerReason.NONCE);
    assertThat(Rejections.reasonOf("something broke")).isEqualTo(LedgerReason.INVALID);
    assertThat(Rejections.reasonOf("FOO: not a known code")).isEqualTo(LedgerReason.INVALID);
    assertThat(Rejections.reasonOf(null)).isEqualTo(LedgerReason.INVALID);
  }

  @Test
  void chaincodeResponseIsRecognised() {
    assertThat(Rejections.chaincodeMessage("chaincode response 500, ROLE: operator only"))
        .contains("ROLE: operator only");
    assertThat(
            Rejections.chaincodeMessage(
                "evaluate call to endorser returned error: chaincode response 500, NOT_FOUND: no batch"))
        .contains("NOT_FOUND: no batch");
    assertThat(Rejections.chaincodeMessage("chaincode response 200, fine")).isEmpty();
    assertThat(Rejections.chaincodeMessage("rpc error: code = Unavailable")).isEmpty();
  }

  @Test
  void endorseFailureWithChaincodeDetailBecomesRejection() {
    EndorseException e =
        new EndorseException(
            "tx1",
            grpcError(
                io.grpc.Status.Code.UNKNOWN.value(),
                "failed to endorse transaction, see attached details for more info",
                "chaincode response 500, SIGNATURE: order signature does not recover to trader"));

    LedgerException mapped = Rejections.map("escrow:AcceptOrder", e);

    assertThat(mapped).isInstanceOf(LedgerRejectedException.class);
    assertThat(((LedgerRejectedException) mapped).reason()).isEqualTo(LedgerReason.SIGNATURE);
    assertThat(mapped)
        .hasMessageContaining("escrow:AcceptOrder rejected: SIGNATURE: order signature");
  }

  @Test
  void evaluateFailureCarriesTheMessageInTheDescription() {
    GatewayException e =
        new GatewayException(
            grpcError(
                io.grpc.Status.Code.UNKNOWN.value(),
                "evaluate call to endorser returned error: chaincode response 500, NOT_FOUND: participant"));
    LedgerException mapped = Rejections.map("participants:Get", e);
    assertThat(mapped)
        .isInstanceOfSatisfying(
            LedgerRejectedException.class,
            r -> assertThat(r.reason()).isEqualTo(LedgerReason.NOT_FOUND));
  }

  @Test
  void transportFailuresAreUnavailable() {
    EndorseException deadline =
        new EndorseException(
            "tx2",
            io.grpc.Status.DEADLINE_EXCEEDED.withDescription("deadline").asRuntimeException());
    assertThat(Rejections.map("settlement:Settle", deadline))
        .isInstanceOf(LedgerUnavailableException.class)
        .hasMessageContaining("DEADLINE_EXCEEDED");

    EndorseException noPeers =
        new EndorseException(
            "tx3",
            grpcError(
                io.grpc.Status.Code.FAILED_PRECONDITION.value(),
                "no combination of peers can be derived which satisfy the endorsement policy"));
    assertThat(Rejections.map("settlement:Settle", noPeers))
        .isInstanceOf(LedgerUnavailableException.class)
        .hasMessageContaining("endorsement policy");

    EndorseException peerDown =
        new EndorseException(
            "tx4",
            grpcError(
                io.grpc.Status.Code.ABORTED.value(),
                "failed to endorse transaction",
                "rpc error: code = Unavailable"));
    assertThat(Rejections.map("settlement:Settle", peerDown))
        .isInstanceOf(LedgerUnavailableException.class)
        .hasMessageContaining("PlatformMSP@127.0.0.1:7051");
  }

  @Test
  void anOrdererRefusalIsFinalButAnOrdererOutageIsNot() {
    SubmitException tooLarge =
        new SubmitException(
            "tx5",
            io.grpc.Status.ABORTED
                .withDescription(
                    "received unsuccessful response from orderer: status=BAD_REQUEST, info=message payload is 16997552 bytes"
                        + " and exceeds maximum allowed 10485760 bytes")
                .asRuntimeException());
    assertThat(Rejections.map("settlement:Settle (submit tx5)", tooLarge))
        .isInstanceOfSatisfying(
            LedgerRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(LedgerReason.INVALID))
        .hasMessageContaining("exceeds maximum allowed");

    SubmitException down =
        new SubmitException(
            "tx6",
            io.grpc.Status.UNAVAILABLE
                .withDescription(
                    "failed to send transaction to orderer 127.0.0.1:7050: connection refused")
                .asRuntimeException());
    assertThat(Rejections.map("settlement:Settle (submit tx6)", down))
        .isInstanceOf(LedgerUnavailableException.class);
  }
}
