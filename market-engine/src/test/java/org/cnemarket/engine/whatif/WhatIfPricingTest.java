package org.cnemarket.engine.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnemarket.engine.round.ComputeMechanisms;
import org.junit.jupiter.api.Test;

class WhatIfPricingTest {

  private static final ObjectMapper M = new ObjectMapper();

  static final String BOOK =
      """
            {"k": 0.5,
             "bids": [{"id":"b0","quantityWh":1,"priceMicros":9},{"id":"b1","quantityWh":1,"priceMicros":8},
                      {"id":"b2","quantityWh":1,"priceMicros":7},{"id":"b3","quantityWh":1,"priceMicros":4},
                      {"id":"b4","quantityWh":1,"priceMicros":2}],
             "asks": [{"id":"a0","quantityWh":1,"priceMicros":1},{"id":"a1","quantityWh":1,"priceMicros":3},
                      {"id":"a2","quantityWh":1,"priceMicros":5},{"id":"a3","quantityWh":1,"priceMicros":6},
                      {"id":"a4","quantityWh":1,"priceMicros":8}],
             "lotWh": 1}
            """;

  private static JsonNode run(String mechanism, String json) throws Exception {
    return M.readTree(WhatIfPricing.solve(mechanism, json));
  }

  @Test
  void uniform() throws Exception {
    JsonNode out = run("uniform", BOOK);
    assertThat(out.get("clearingPriceMicros").asLong()).isEqualTo(6);
    assertThat(out.get("tradedWh").asLong()).isEqualTo(3);
    assertThat(out.get("fills")).hasSize(3);
    assertThat(out.at("/verdict/individuallyRational").asBoolean()).isTrue();
    assertThat(out.at("/verdict/budgetBalanced").asBoolean()).isTrue();
    assertThat(out.at("/utilitiesMicros/buyers/b0").asDouble())
        .isCloseTo(3 / 1000.0, within(1e-12));
  }

  @Test
  void mcafee() throws Exception {
    JsonNode out = run("mcafee", BOOK);
    assertThat(out.get("outcome").asText()).isEqualTo("SINGLE_PRICE");
    assertThat(out.get("buyerPriceMicros").asLong()).isEqualTo(5);
    assertThat(out.get("tradedLots").asLong()).isEqualTo(3);
    assertThat(out.at("/verdict/weaklyBudgetBalanced").asBoolean()).isTrue();
  }

  @Test
  void lpWithGreenAndZones() throws Exception {
    String in =
        """
                {"bids":[{"id":"dc1","quantityWh":1000,"priceMicros":100000,"minGreenBps":10000,"zone":1}],
                 "asks":[{"id":"grey","quantityWh":1000,"priceMicros":10000,"zone":1},
                         {"id":"solar","quantityWh":600,"priceMicros":60000,"green":true,"zone":2}],
                 "zoneFees":{"defaultMicrosPerKwh":10000}}
                """;
    JsonNode out = run("lp", in);
    assertThat(out.get("tradedWh").asDouble()).isCloseTo(600, within(1e-6));
    assertThat(out.get("uniformPriceMicros").asLong()).isEqualTo(85_000);
    assertThat(out.at("/fills/0/sellerPriceMicros").asLong()).isEqualTo(75_000);
    assertThat(out.at("/verdict/greenSharesMet").asBoolean()).isTrue();
    assertThat(out.at("/verdict/individuallyRational").asBoolean()).isTrue();
  }

  @Test
  void stackelbergReference() throws Exception {
    String in =
        """
                {"users":[{"weight":10},{"weight":8},{"weight":6},{"weight":3},{"weight":2.5}],
                 "providers":[{"id":"k","kwhPerUnit":0.5,"energyPricePerKwh":2,"otherCostPerUnit":1}]}
                """;
    JsonNode out = run("stackelberg", in);
    assertThat(out.at("/providers/0/price").asDouble()).isCloseTo(4, within(1e-9));
    assertThat(out.at("/providers/0/profit").asDouble()).isCloseTo(6, within(1e-9));
    assertThat(out.at("/providers/0/demandUnits").asDouble()).isCloseTo(3, within(1e-9));
    assertThat(out.at("/providers/0/userQuantities")).hasSize(5);
    assertThat(out.at("/verdict/verified").asBoolean()).isTrue();
  }

  @Test
  void stackelberg3() throws Exception {
    String in =
        """
                {"users":[{"weight":10},{"weight":8},{"weight":6},{"weight":3},{"weight":2.5}],
                 "providers":[{"id":"k","kwhPerUnit":0.5,"otherCostPerUnit":1}],
                 "sellerCostPerKwh":0.5}
                """;
    JsonNode out = run("stackelberg3", in);
    assertThat(out.at("/energySeller/energyPricePerKwh").asDouble()).isGreaterThan(0.5);
    assertThat(out.at("/energySeller/profit").asDouble()).isPositive();
    assertThat(out.at("/verdict/verified").asBoolean()).isTrue();
  }

  @Test
  void contractReference() throws Exception {
    String in =
        """
                {"thetas":[1,2,3],"priors":[0.3,0.4,0.3],"unitCost":1,"alpha":10}
                """;
    JsonNode out = run("contract", in);
    assertThat(out.at("/contracts/1/quantity").asDouble()).isCloseTo(15, within(1e-9));
    assertThat(out.get("platformUtility").asDouble()).isCloseTo(16.8821326482, within(1e-8));
    assertThat(out.at("/verdict/valid").asBoolean()).isTrue();
    assertThat(out.get("completeInformationUtility").asDouble())
        .isGreaterThan(out.get("platformUtility").asDouble());
  }

  @Test
  void contractPartsSupplyWithBunching() throws Exception {
    // GAMS Model Library PS3_S_MN, third solve (Hashimoto, Hamada and Hosoe 2012): √q, cost θ·q, ru
    // = 0.
    String in =
        """
                {"thetas":[0.1,0.3,0.31],"priors":[0.2,0.5,0.3],"costForm":"cost",
                 "valuation":{"form":"power","alpha":1,"beta":0.5}}
                """;
    JsonNode out = run("contract", in);
    assertThat(out.get("platformUtility").asDouble())
        .isCloseTo(0.8 / (4 * 0.3625) + 0.5, within(1e-9));
    assertThat(out.at("/bunches/0").toString()).isEqualTo("[2,1]");
    assertThat(out.at("/contracts/1/quantity").asDouble())
        .isEqualTo(out.at("/contracts/2/quantity").asDouble());
    assertThat(out.at("/firstBest/platformUtility").asDouble())
        .isGreaterThan(out.get("platformUtility").asDouble());
    assertThat(out.at("/verdict/valid").asBoolean()).isTrue();
    assertThat(out.at("/verdict/noGridDeviationImproves").asBoolean()).isTrue();
    JsonNode numeric =
        run("contract", in.replace("\"costForm\"", "\"method\":\"numeric\",\"costForm\""));
    assertThat(numeric.get("method").asText()).isEqualTo("numeric");
    assertThat(numeric.get("platformUtility").asDouble())
        .isCloseTo(out.get("platformUtility").asDouble(), within(1e-7));
  }

  @Test
  void contractPiecewiseLinearWithReservationUtility() throws Exception {
    String in =
        """
                {"thetas":[0.5,0.8],"priors":[0.5,0.5],"costForm":"cost","reservationUtility":0.25,
                 "valuation":{"form":"piecewise-linear","points":[[0,0],[1,4],[3,6],[5,6.5]]}}
                """;
    JsonNode out = run("contract", in);
    assertThat(out.at("/contracts/1/quantity").asDouble()).isEqualTo(1);
    assertThat(out.at("/contracts/1/providerUtility").asDouble()).isCloseTo(0.25, within(1e-12));
    assertThat(out.at("/contracts/0/quantity").asDouble()).isEqualTo(3);
    assertThat(out.at("/verdict/valid").asBoolean()).isTrue();
  }

  @Test
  void contractInputErrors() {
    assertThatThrownBy(
            () ->
                WhatIfPricing.solve(
                    "contract",
                    "{\"thetas\":[1],\"priors\":[1],\"alpha\":1,\"valuation\":{\"form\":\"log\",\"alpha\":1}}"))
        .hasMessageContaining("either 'alpha'");
    assertThatThrownBy(
            () ->
                WhatIfPricing.solve(
                    "contract",
                    "{\"thetas\":[1],\"priors\":[1],\"valuation\":{\"form\":\"cubic\"}}"))
        .hasMessageContaining("unknown valuation form 'cubic'");
    assertThatThrownBy(
            () ->
                WhatIfPricing.solve(
                    "contract",
                    "{\"thetas\":[1],\"priors\":[1],\"valuation\":{\"form\":\"power\",\"alpha\":1,\"beta\":1.5}}"))
        .hasMessageContaining("beta must be in (0,1)");
    assertThatThrownBy(
            () ->
                WhatIfPricing.solve(
                    "contract",
                    "{\"thetas\":[1],\"priors\":[1],\"alpha\":1,\"costForm\":\"price\"}"))
        .hasMessageContaining("unknown costForm 'price'");
    assertThatThrownBy(
            () ->
                WhatIfPricing.solve(
                    "contract", "{\"thetas\":[1],\"priors\":[1],\"alpha\":1,\"method\":\"guess\"}"))
        .hasMessageContaining("unknown method 'guess'");
    assertThatThrownBy(
            () ->
                WhatIfPricing.solve(
                    "contract",
                    "{\"thetas\":[1],\"priors\":[1],\"alpha\":1,\"reservationUtility\":-1}"))
        .hasMessageContaining("reservation utility must be >= 0");
    assertThatThrownBy(
            () ->
                WhatIfPricing.solve(
                    "contract",
                    "{\"thetas\":[1],\"priors\":[1],"
                        + "\"valuation\":{\"form\":\"piecewise-linear\",\"points\":[[0,0],[1]]}}"))
        .hasMessageContaining("valuation.points[1] must be a pair");
  }

  @Test
  void errorsAreClear() {
    assertThatThrownBy(() -> WhatIfPricing.solve("vickrey", "{}"))
        .isInstanceOf(WhatIfException.class)
        .hasMessageContaining("unknown mechanism 'vickrey'");
    assertThatThrownBy(() -> WhatIfPricing.solve("uniform", "{not json"))
        .isInstanceOf(WhatIfException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> WhatIfPricing.solve("uniform", "[]"))
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> WhatIfPricing.solve("uniform", "{\"asks\":[]}"))
        .hasMessageContaining("missing field 'bids' in input");
    assertThatThrownBy(
            () ->
                WhatIfPricing.solve(
                    "uniform",
                    "{\"bids\":[{\"id\":\"b\",\"quantityWh\":1.5,\"priceMicros\":1}],\"asks\":[]}"))
        .hasMessageContaining("'quantityWh' in bids[0] must be an integer");
    assertThatThrownBy(
            () ->
                WhatIfPricing.solve(
                    "uniform",
                    "{\"bids\":[{\"id\":\"b\",\"quantityWh\":1,\"priceMicros\":1}],\"asks\":[]}"))
        .hasMessageContaining("invalid input: empty market: no asks");
    assertThatThrownBy(() -> WhatIfPricing.solve("uniform", BOOK.replace("\"k\": 0.5", "\"k\": 2")))
        .hasMessageContaining("k must be in [0,1]");
    assertThatThrownBy(
            () -> WhatIfPricing.solve("mcafee", BOOK.replace("\"lotWh\": 1", "\"lot\": 1")))
        .hasMessageContaining("missing field 'lotWh'");
    assertThatThrownBy(
            () ->
                WhatIfPricing.solve(
                    "contract",
                    "{\"thetas\":[2,1],\"priors\":[0.5,0.5],\"unitCost\":1,\"alpha\":1}"))
        .hasMessageContaining("strictly increasing");
    assertThatThrownBy(
            () ->
                WhatIfPricing.solve(
                    "stackelberg",
                    "{\"users\":[{\"weight\":-1}],\"providers\":[{\"id\":\"k\",\"kwhPerUnit\":1,\"otherCostPerUnit\":1}]}"))
        .hasMessageContaining("w[0] must be > 0");
    assertThatThrownBy(() -> WhatIfPricing.solve(null, "{}"))
        .hasMessageContaining("mechanism is required");
  }

  @Test
  void computeWhatIfsAreTheComputeMechanismsOwn() {
    assertThat(ComputeMechanisms.whatIfNames()).containsExactly("stackelberg");
    assertThat(WhatIfPricing.choices())
        .isEqualTo("uniform, mcafee, lp, stackelberg, stackelberg3, contract");
  }

  @Test
  void deterministicOutput() throws Exception {
    assertThat(WhatIfPricing.solve("uniform", BOOK))
        .isEqualTo(WhatIfPricing.solve("uniform", BOOK));
  }
}
