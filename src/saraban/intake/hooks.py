from saraban.kernel.hooks import Hook

registered = Hook("intake.registered", "An intake item became a registered letter: item=, entry=, actor=")
rejected = Hook("intake.rejected",
                "An intake item was returned without registering: item=, reason=, actor=, reason_code=")
