package org.cnemarket.engine.web;

import org.cnemarket.core.codec.Fields;
import org.cnemarket.engine.auth.SignIn;

/** Sign-in: an EIP-4361 challenge, and the signed message exchanged for a token. */
final class AuthHandlers implements Operations.Group {
  private final SignIn signIn;

  AuthHandlers(SignIn signIn) {
    this.signIn = signIn;
  }

  @Override
  public void bind(Operations ops) {
    ops.on("authChallenge", this::authChallenge).on("authLogin", this::authLogin);
  }

  void authChallenge(Call call) {
    String a = call.query("address");
    call.answer(200, () -> signIn.challenge(a));
  }

  void authLogin(Call call) {
    Fields body = call.body("body");
    String message = body.string("message", null);
    String signature = body.string("signature", null);
    call.answer(200, () -> signIn.login(message, signature));
  }
}
