package org.cnemarket.engine.ledger.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.junit.jupiter.api.Test;

/**
 * When an endorsement is asked again: a refusal only by another organisation's peer, which may not
 * have committed the block our peer already reported, is waited out; a refusal our own peer shares
 * is final.
 */
class GatewaySubmitterTest {

  private static FabricConfig config(List<String> endorsingOrganizations) {
    Path p = Path.of("unused");
    return new FabricConfig(
        "localhost:7051",
        p,
        Optional.empty(),
        "PlatformMSP",
        p,
        p,
        "market",
        "cne",
        FabricConfig.Deadlines.DEFAULT,
        RetryPolicy.DEFAULT,
        endorsingOrganizations);
  }

  /** An endorsement failure with one detail per {mspId, message} pair. */
  private static EndorseException refused(String... mspAndMessage) {
    com.google.rpc.Status.Builder s =
        com.google.rpc.Status.newBuilder()
            .setCode(io.grpc.Status.Code.UNKNOWN.value())
            .setMessage("failed to endorse transaction, see attached details for more info");
    for (int i = 0; i < mspAndMessage.length; i += 2) {
      s.addDetails(
          Any.pack(
              ErrorDetail.newBuilder()
                  .setAddress("peer" + i + ":7051")
                  .setMspId(mspAndMessage[i])
                  .setMessage(mspAndMessage[i + 1])
                  .build()));
    }
    StatusRuntimeException grpc = StatusProto.toStatusRuntimeException(s.build());
    return new EndorseException("tx1", grpc);
  }

  private static final String NOT_SETTLED =
      "chaincode response 500, NOT_FOUND: no settled batch b-1";

  @Test
  void anotherOrganisationsRefusalAloneMayBeAPeerBehind() {
    assertThat(
            GatewaySubmitter.onlyOtherOrganisationsRefused(
                refused("GridMSP", NOT_SETTLED), config(List.of())))
        .isTrue();
    assertThat(
            GatewaySubmitter.onlyOtherOrganisationsRefused(
                refused("GridMSP", NOT_SETTLED), config(List.of("PlatformMSP", "GridMSP"))))
        .isTrue();
  }

  @Test
  void aRefusalOurPeerSharesIsFinal() {
    assertThat(
            GatewaySubmitter.onlyOtherOrganisationsRefused(
                refused("PlatformMSP", NOT_SETTLED), config(List.of())))
        .isFalse();
    assertThat(
            GatewaySubmitter.onlyOtherOrganisationsRefused(
                refused("GridMSP", NOT_SETTLED, "PlatformMSP", NOT_SETTLED), config(List.of())))
        .isFalse();
  }

  @Test
  void notAChaincodeRefusalOrOurPeerNotAskedIsFinal() {
    assertThat(
            GatewaySubmitter.onlyOtherOrganisationsRefused(
                refused("GridMSP", "rpc error: code = Unavailable"), config(List.of())))
        .isFalse();
    assertThat(GatewaySubmitter.onlyOtherOrganisationsRefused(refused(), config(List.of())))
        .isFalse();
    assertThat(
            GatewaySubmitter.onlyOtherOrganisationsRefused(
                refused("GridMSP", NOT_SETTLED), config(List.of("GridMSP"))))
        .isFalse();
  }
}
