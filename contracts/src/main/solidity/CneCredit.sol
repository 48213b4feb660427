// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/**
 * @title CNE credit
 * @notice Market credits in micro-credits (6 decimals). Escrow is held by this contract itself:
 *         locking moves tokens from the account to address(this) and books them to the account's
 *         escrow; release pays a seller out of it; refund returns it. Only the market contract
 *         (MARKET_ROLE) moves escrow and mints deposits, so balanceOf(address(this)) always equals
 *         the sum of all escrows.
 */
contract CneCredit is ERC20, AccessControl {
    bytes32 public constant MARKET_ROLE = keccak256("MARKET_ROLE");

    /// One account's net movement in a settlement batch (aggregated over all its trades).
    struct Movement {
        address account;
        uint64 spentMicros;    // paid out of its escrow to sellers
        uint64 refundMicros;   // returned from its escrow (closed buy orders' unspent lock)
        uint64 receivedMicros; // received as a seller
    }

    /// The account's escrow is smaller than what the market asked to move out of it.
    error EscrowOverdraft(address account, uint256 needed, uint256 available);
    /// Payments into sellers do not equal what buyers' escrow paid out.
    error NotConserved(uint256 spentMicros, uint256 receivedMicros);

    mapping(address => uint256) private _escrow;

    event EscrowLocked(address indexed account, uint256 amountMicros);
    event EscrowRefunded(address indexed account, uint256 amountMicros);

    constructor(address admin) ERC20("CNE Credit", "CNEC") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function escrowOf(address account) external view returns (uint256) {
        return _escrow[account];
    }

    function mint(address to, uint256 amountMicros) external onlyRole(MARKET_ROLE) {
        _mint(to, amountMicros);
    }

    /// Locks `amountMicros` of the account's spendable credits (reverts ERC20InsufficientBalance).
    function lock(address account, uint256 amountMicros) external onlyRole(MARKET_ROLE) {
        _transfer(account, address(this), amountMicros);
        _escrow[account] += amountMicros;
        emit EscrowLocked(account, amountMicros);
    }

    /// Pays `amountMicros` from `from`'s escrow to `to`.
    function release(address from, address to, uint256 amountMicros) external onlyRole(MARKET_ROLE) {
        _debitEscrow(from, amountMicros);
        _transfer(address(this), to, amountMicros);
    }

    /// Returns `amountMicros` of the account's escrow to its spendable balance.
    function refund(address account, uint256 amountMicros) external onlyRole(MARKET_ROLE) {
        _debitEscrow(account, amountMicros);
        _transfer(address(this), account, amountMicros);
        emit EscrowRefunded(account, amountMicros);
    }

    /**
     * Applies a batch's net movements: one storage update per account, never per trade. Reverts
     * unless what buyers spent equals what sellers received, and no escrow goes negative.
     */
    function applySettlement(Movement[] calldata moves) external onlyRole(MARKET_ROLE) {
        uint256 spent;
        uint256 received;
        for (uint256 i = 0; i < moves.length; ++i) {
            Movement calldata m = moves[i];
            uint256 out = uint256(m.spentMicros) + m.refundMicros;
            if (out != 0) {
                _debitEscrow(m.account, out);
            }
            uint256 credit = uint256(m.refundMicros) + m.receivedMicros;
            if (credit != 0) {
                _transfer(address(this), m.account, credit);
            }
            spent += m.spentMicros;
            received += m.receivedMicros;
        }
        if (spent != received) {
            revert NotConserved(spent, received);
        }
    }

    function _debitEscrow(address account, uint256 amountMicros) private {
        uint256 e = _escrow[account];
        if (e < amountMicros) {
            revert EscrowOverdraft(account, amountMicros, e);
        }
        unchecked {
            _escrow[account] = e - amountMicros;
        }
    }
}
