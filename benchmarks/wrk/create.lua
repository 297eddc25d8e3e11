-- POST /heroes/ with the tutorial's HeroCreate body.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name": "Deadpond", "secret_name": "Dive Wilson", "age": 30}'
