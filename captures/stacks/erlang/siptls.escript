#!/usr/bin/env escript
%%! -noinput
%% siptls.escript - a small SIP-over-TLS server and client on Erlang/OTP's
%% ssl application, used by ../../record.sh to record Erlang handshakes.
%% Run at record time only; the product never uses it.
%%
%%   escript siptls.escript server PORT CHAIN KEY CA none|optional|required CONNECTIONS
%%   escript siptls.escript client PORT SNI CA CHAIN|- KEY|- SUITE|- CONNECTIONS KEYLOG
%%
%% Server: TLS 1.3 only, stateless session tickets; optional = verify_peer,
%% required adds fail_if_no_peer_cert.  Each connection: handshake, one SIP
%% request read, "SIP/2.0 200 OK" in one send, then read until the client
%% closes.  Client: prints "conn N: HANDSHAKE OK" after each handshake,
%% sends each chunk it reads on stdin in one send (one record), prints what the server sends; end of stdin closes the
%% connection, a line "NEXT" ends the first of two connections (the second
%% resumes with the first's ticket).  KEYLOG receives the NSS key log
%% (keep_secrets, ssl:connection_information/2).  SUITE is an OpenSSL name.
%% Test tool only: loopback, trusts nothing but CA.
%%
%% SPDX-License-Identifier: GPL-2.0-or-later
-mode(compile).

main(["server", Port, Chain, Key, Ca, Policy, N]) ->
    ok = ssl:start(),
    Verify = case Policy of
                 "none" -> [{verify, verify_none}];
                 "optional" -> [{verify, verify_peer}, {fail_if_no_peer_cert, false}];
                 "required" -> [{verify, verify_peer}, {fail_if_no_peer_cert, true}]
             end,
    {ok, L} = ssl:listen(list_to_integer(Port),
                         [binary, {active, false}, {reuseaddr, true}, {ip, {127, 0, 0, 1}},
                          {versions, ['tlsv1.3']}, {certfile, Chain}, {keyfile, Key},
                          {cacertfile, Ca}, {session_tickets, stateless} | Verify]),
    say("LISTENING 127.0.0.1:~s policy=~s", [Port, Policy]),
    serve(L, 1, list_to_integer(N)),
    say("DONE", []);
main(["client", Port, Sni, Ca, Chain, Key, Suite, N, Keylog]) ->
    ok = ssl:start(),
    Cert = case Chain of "-" -> []; _ -> [{certfile, Chain}, {keyfile, Key}] end,
    Suites = case Suite of
                 "-" -> [];
                 _ -> [{ciphers, [ssl:str_to_suite(Suite)]}]
             end,
    Opts = [binary, {active, false}, {versions, ['tlsv1.3']}, {verify, verify_peer},
            {cacertfile, Ca}, {server_name_indication, Sni}, {keep_secrets, true},
            {session_tickets, manual} | Cert ++ Suites],
    %% stdin as a raw port: chunks as they were written, CR LF untouched
    put(stdin, open_port({fd, 0, 1}, [in, binary, stream, eof])),
    dial(list_to_integer(Port), Opts, Keylog, 1, list_to_integer(N), undefined);
main(_) ->
    io:format(standard_error, "usage: see the head of siptls.escript~n", []),
    halt(2).

say(Format, Args) ->
    io:format(Format ++ "~n", Args).

serve(_L, I, N) when I > N ->
    ok;
serve(L, I, N) ->
    {ok, T} = ssl:transport_accept(L),
    case ssl:handshake(T, 10000) of
        {ok, S} ->
            Peer = case ssl:peercert(S) of {ok, _} -> "a certificate"; _ -> "none" end,
            {ok, Info} = ssl:connection_information(S, [protocol, selected_cipher_suite]),
            say("conn ~p: HANDSHAKE OK ~p peer cert: ~s", [I, Info, Peer]),
            case read_request(S, <<>>) of
                {ok, Req} ->
                    [First | _] = binary:split(Req, <<"\r\n">>),
                    say("conn ~p: SIP ~s", [I, First]),
                    ok = ssl:send(S, response(Req)),
                    drain(S);
                closed ->
                    say("conn ~p: no SIP request", [I])
            end,
            ssl:close(S),
            say("conn ~p: CLOSED", [I]);
        {error, E} ->
            say("conn ~p: HANDSHAKE FAILED: ~p", [I, E])
    end,
    serve(L, I + 1, N).

read_request(S, Acc) ->
    case binary:match(Acc, <<"\r\n\r\n">>) of
        nomatch ->
            case ssl:recv(S, 0, 10000) of
                {ok, More} -> read_request(S, <<Acc/binary, More/binary>>);
                _ -> closed
            end;
        _ -> {ok, Acc}
    end.

drain(S) ->
    case ssl:recv(S, 0, 10000) of
        {ok, _} -> drain(S);
        _ -> ok
    end.

header(Req, Name) ->
    Lines = binary:split(Req, <<"\r\n">>, [global]),
    Prefix = string:lowercase(Name ++ ":"),
    case [string:trim(binary_to_list(binary:part(L, length(Prefix), byte_size(L) - length(Prefix))))
          || L <- Lines, byte_size(L) >= length(Prefix),
             string:lowercase(binary_to_list(binary:part(L, 0, length(Prefix)))) =:= Prefix] of
        [V | _] -> V;
        [] -> ""
    end.

response(Req) ->
    list_to_binary(["SIP/2.0 200 OK\r\n",
                    "Via: ", header(Req, "Via"), ";received=127.0.0.1\r\n",
                    "From: ", header(Req, "From"), "\r\n",
                    "To: ", header(Req, "To"), ";tag=sbc-1\r\n",
                    "Call-ID: ", header(Req, "Call-ID"), "\r\n",
                    "CSeq: ", header(Req, "CSeq"), "\r\n",
                    "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n",
                    "Accept: application/sdp\r\n",
                    "Content-Length: 0\r\n\r\n"]).

dial(_Port, _Opts, _Keylog, I, N, _Ticket) when I > N ->
    ok;
dial(Port, Opts, Keylog, I, N, Ticket) ->
    Resume = case Ticket of undefined -> []; _ -> [{use_ticket, [Ticket]}] end,
    case ssl:connect({127, 0, 0, 1}, Port, Resume ++ Opts, 10000) of
        {ok, S} ->
            _ = keylog(S, Keylog),
            say("conn ~p: HANDSHAKE OK resumed=~p", [I, Ticket =/= undefined]),
            Self = self(),
            Reader = spawn(fun() -> reader(S, Self) end),
            _ = ssl:controlling_process(S, Reader),
            Reader ! go,
            Next = send_lines(S, []),
            %% a ticket that came before the reader took over is in our mailbox
            NewTicket = receive
                            {ticket, T} -> T;
                            {ssl, session_ticket, T} -> T
                        after 500 -> Ticket
                        end,
            ssl:close(S),
            say("conn ~p: CLOSED", [I]),
            case Next of
                next -> dial(Port, Opts, Keylog, I + 1, N, NewTicket);
                eof -> ok
            end;
        {error, E} ->
            say("conn ~p: HANDSHAKE FAILED: ~p", [I, E]),
            halt(1)
    end.

%% The key log lines of the connection, appended once per connection.
keylog(S, File) ->
    case ssl:connection_information(S, [keylog]) of
        {ok, [{keylog, Lines}]} ->
            Old = case file:read_file(File) of {ok, B} -> B; _ -> <<>> end,
            New = [[L, "\n"] || L <- Lines, binary:match(Old, iolist_to_binary(L)) =:= nomatch],
            file:write_file(File, New, [append]);
        _ -> ok
    end.

reader(S, Parent) ->
    receive go -> ok end,
    ok = ssl:setopts(S, [{active, true}]),
    reader_loop(S, Parent).

reader_loop(S, Parent) ->
    receive
        {ssl, S, Data} ->
            io:put_chars(Data),
            reader_loop(S, Parent);
        {ssl, session_ticket, Ticket} ->
            Parent ! {ticket, Ticket},
            reader_loop(S, Parent);
        {ssl_closed, S} ->
            say("server closed", []);
        {ssl_error, S, {tls_alert, A}} ->
            say("server alert: ~p", [A]);
        {ssl_error, S, E} ->
            say("server error: ~p", [E])
    end.

%% Chunks of stdin, each sent in one piece (one record); next or eof.
send_lines(S, _Acc) ->
    In = get(stdin),
    receive
        {In, {data, <<"NEXT\n">>}} -> next;
        {In, {data, Data}} ->
            ssl:send(S, Data),
            send_lines(S, []);
        {In, eof} -> eof
    end.
