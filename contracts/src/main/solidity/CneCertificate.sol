// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.28;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/**
 * @title CNE green certificate
 * @notice ERC-1155 whose token id is the delivery slot and whose unit is one green Wh. The market
 *         issues certificates for delivered green energy, and moves or retires them on the
 *         holder's signed instruction. Retiring burns the Wh and counts it, so it is never claimed
 *         twice.
 */
contract CneCertificate is ERC1155, AccessControl {
    bytes32 public constant MARKET_ROLE = keccak256("MARKET_ROLE");

    mapping(address => mapping(uint256 => uint256)) private _retired;

    event Retired(address indexed holder, uint256 indexed slot, uint256 amountWh);

    constructor(address admin) ERC1155("") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function retiredOf(address holder, uint256 slot) external view returns (uint256) {
        return _retired[holder][slot];
    }

    function issue(address to, uint256 slot, uint256 amountWh) external onlyRole(MARKET_ROLE) {
        _mint(to, slot, amountWh, "");
    }

    function marketTransfer(address from, address to, uint256 slot, uint256 amountWh)
        external
        onlyRole(MARKET_ROLE)
    {
        _safeTransferFrom(from, to, slot, amountWh, "");
    }

    /// Burns `amountWh` of the holder's certificates (reverts ERC1155InsufficientBalance).
    function retire(address holder, uint256 slot, uint256 amountWh) external onlyRole(MARKET_ROLE) {
        _burn(holder, slot, amountWh);
        _retired[holder][slot] += amountWh;
        emit Retired(holder, slot, amountWh);
    }

    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(ERC1155, AccessControl)
        returns (bool)
    {
        return super.supportsInterface(interfaceId);
    }
}
