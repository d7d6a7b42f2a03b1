-- sipmtls_equiv.lua
-- What a user would write instead of sipmtls: a Lua post-dissector that
-- marks, on port 5061, frames with a TLS CertificateRequest (handshake
-- type 13) and frames with a certificate listing the clientAuth EKU
-- (1.3.6.1.5.5.7.3.2).  It reads Wireshark's own TLS and X.509 fields and
-- does no more than those two checks: no sender, no chain, no connection
-- state.  The benchmark (bench/run.py) compares sipmtls's cost with this.
--
--   tshark -X lua_script:bench/sipmtls_equiv.lua -r capture.pcapng -Y sipmtls_lua
--
-- SPDX-License-Identifier: GPL-2.0-or-later

local SIP_TLS_PORT = 5061
local CERTIFICATE_REQUEST = 13
local CLIENT_AUTH_OID = "1.3.6.1.5.5.7.3.2"

local hs_type = Field.new("tls.handshake.type")
local key_purpose = Field.new("x509ce.KeyPurposeId")

local proto = Proto("sipmtls_lua", "SIP-TLS Mutual TLS Audit (Lua equivalent)")

local f_cert_request = ProtoField.bool("sipmtls_lua.cert_request", "CertificateRequest")
local f_client_auth = ProtoField.bool("sipmtls_lua.client_auth_eku", "Certificate with clientAuth EKU")
proto.fields = { f_cert_request, f_client_auth }

local e_cert_request = ProtoExpert.new("sipmtls_lua.expert.cert_request",
    "CertificateRequest: a client certificate is requested (mutual TLS)",
    expert.group.SECURITY, expert.severity.WARN)
local e_client_auth = ProtoExpert.new("sipmtls_lua.expert.client_auth",
    "Certificate with the clientAuth EKU",
    expert.group.SECURITY, expert.severity.WARN)
proto.experts = { e_cert_request, e_client_auth }

local function any_equal(values, wanted)
    for _, v in ipairs(values) do
        if v == wanted then
            return true
        end
    end
    return false
end

function proto.dissector(tvb, pinfo, tree)
    if pinfo.src_port ~= SIP_TLS_PORT and pinfo.dst_port ~= SIP_TLS_PORT then
        return
    end
    local types = {}
    for i, fi in ipairs({ hs_type() }) do
        types[i] = fi.value
    end
    local oids = {}
    for i, fi in ipairs({ key_purpose() }) do
        oids[i] = tostring(fi)
    end
    local cert_request = any_equal(types, CERTIFICATE_REQUEST)
    local client_auth = any_equal(oids, CLIENT_AUTH_OID)
    if not (cert_request or client_auth) then
        return
    end
    local subtree = tree:add(proto, tvb(0, 0))
    if cert_request then
        subtree:add(f_cert_request, true):add_proto_expert_info(e_cert_request)
    end
    if client_auth then
        subtree:add(f_client_auth, true):add_proto_expert_info(e_client_auth)
    end
end

register_postdissector(proto)
