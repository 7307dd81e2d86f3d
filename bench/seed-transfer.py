"""The seed's design in ~40 lines: a file over wss in 256 KiB binary frames, SHA-256 at both ends.

seed-transfer.py send FILE CERT KEY   -> prints {"port"}, serves one receiver, prints its numbers
seed-transfer.py receive PORT DEST    -> fetches the file into DEST, prints its numbers
Numbers: wall-clock start/end (time.time()), CPU seconds of this process (user + system).
"""
import asyncio, hashlib, json, ssl, sys, time
import websockets

CHUNK = 256 * 1024
say = lambda **fields: print(json.dumps(fields), flush=True)

async def send(path, cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    finished = asyncio.get_running_loop().create_future()
    async def serve(ws, *_):
        start, cpu, digest = time.time(), time.process_time(), hashlib.sha256()
        with open(path, 'rb') as f:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
                await ws.send(chunk)
        await ws.send(digest.hexdigest())
        answer = await ws.recv()
        say(start=start, cpu=time.process_time() - cpu, answer=answer)
        finished.set_result(None)
    async with websockets.serve(serve, '127.0.0.1', 0, ssl=ctx, compression=None, max_size=None) as server:
        say(port=server.sockets[0].getsockname()[1])
        await finished

async def receive(port, dest):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    async with websockets.connect(f'wss://127.0.0.1:{port}', ssl=ctx, compression=None, max_size=None) as ws:
        cpu, digest, size = time.process_time(), hashlib.sha256(), 0
        with open(dest, 'wb') as f:
            while isinstance(message := await ws.recv(), bytes):
                digest.update(message)
                f.write(message)
                size += len(message)
        ok = message == digest.hexdigest()
        await ws.send('ok' if ok else 'mismatch')
        cipher = ws.transport.get_extra_info('cipher')
        say(end=time.time(), cpu=time.process_time() - cpu, ok=ok, bytes=size, cipher=cipher and cipher[0])

if sys.argv[1] == 'send':
    asyncio.run(send(*sys.argv[2:5]))
else:
    asyncio.run(receive(int(sys.argv[2]), sys.argv[3]))
